// The flood solvers' stepping rule, one source for both: the CPU solver includes it as C++
// (engine/scenario/flood/solver.cpp), the GPU kernels as GLSL (flood_control.comp,
// flood_reduce.comp), so both take the same sequence of steps to the same output times.
// Written in the subset that both languages read: doubles, ternaries, no library calls.
// The includer defines ZW_FLOOD_FN (C++: inline) and ZW_FLOOD_EPS (1e-12 as a double).

// The step towards t_end from time t: the stable step min(cfl_dt, max_dt), shortened to
// land exactly on t_end; when between one and one and a half stable steps remain, half of
// what remains, so that no sliver of a step is left for later. 0 once t reaches t_end.
ZW_FLOOD_FN double flood_step_dt(double t, double t_end, double cfl_dt, double max_dt) {
    if (!(t < t_end)) return 0.0;
    const double bound = cfl_dt < max_dt ? cfl_dt : max_dt;
    const double remaining = t_end - t;
    const double limit = remaining > bound && remaining < 1.5 * bound ? 0.5 * remaining : remaining;
    const double dt = bound < limit ? bound : limit;
    return dt > 0.0 ? dt : 0.0;
}

// The time after a step of dt from t towards t_end: t + dt, or t_end itself when the sum
// lands within rounding of it.
ZW_FLOOD_FN double flood_arrive(double t, double dt, double t_end) {
    const double next = t + dt;
    const double scale = t_end > 1.0 ? t_end : 1.0;
    return t_end - next < ZW_FLOOD_EPS * scale ? t_end : next;
}
