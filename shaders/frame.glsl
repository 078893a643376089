// Per-frame values shared by every pass. Positions are relative to the eye (the eye is
// the origin), so the GPU only ever sees small floats.
layout(set = 0, binding = 0) uniform FrameUniforms {
    mat4 view_proj;      // projection * view rotation
    mat4 inv_view_proj;  // clip -> eye-relative world direction
    vec4 sun_dir;        // xyz: unit vector towards the sun (world axes)
    vec4 sun_color;      // rgb: linear radiance scale
    vec4 sky_zenith;     // rgb: linear
    vec4 sky_horizon;    // rgb: linear
    vec4 ground_color;   // rgb: linear, the sky's lower hemisphere and bounce light
    vec4 up;             // xyz: local up at the eye
    vec4 fog;            // x: density per metre (at ground level), y: height falloff per metre
                         // (0: uniform), z: the eye's height above ground level (metres)
} frame;

// How much of a surface at `rel_pos` (eye-relative) the haze hides, 0..1. The density
// falls exponentially with the height above ground level (exp(-y * h)): the optical depth
// is its integral along the ray, closed form, so a view from high up looks through thin
// air and a view along the ground through the full haze. y = 0: uniform, exp(-x * dist).
float haze(vec3 rel_pos) {
    float dist = length(rel_pos);
    float depth = frame.fog.x * dist;
    float k = frame.fog.y;
    if (k > 0.0) {
        float rise = k * dot(rel_pos, frame.up.xyz);  // scale heights climbed from eye to surface
        float along = abs(rise) > 1e-4 ? (1.0 - exp(-rise)) / rise : 1.0 - 0.5 * rise;
        depth *= exp(-k * frame.fog.z) * along;
    }
    return 1.0 - exp(-depth);
}

// The sky's gradient from the ground colour below the horizon to the zenith.
vec3 sky_gradient(vec3 dir) {
    float h = dot(dir, frame.up.xyz);
    vec3 sky = mix(frame.sky_horizon.rgb, frame.sky_zenith.rgb, pow(clamp(h, 0.0, 1.0), 0.6));
    vec3 below = mix(frame.sky_horizon.rgb, frame.ground_color.rgb, clamp(-h * 4.0, 0.0, 1.0));
    return h >= 0.0 ? sky : below;
}

// The gradient plus a soft glow around the sun.
vec3 sky_color(vec3 dir) {
    dir = normalize(dir);
    float s = max(dot(dir, frame.sun_dir.xyz), 0.0);
    return sky_gradient(dir) + frame.sun_color.rgb * (pow(s, 400.0) * 2.0 + pow(s, 12.0) * 0.08);
}
