// Push constants of the water surface (engine/render/water.cpp's WaterPush), in the
// scene pipeline layout's push range.
layout(push_constant) uniform WaterDraw {
    vec4 offset;  // xyz: the grid's origin minus the eye (world axes); w: depth pull
    vec4 east;    // xyz: the grid's east axis; w: cell size (m)
    vec4 north;   // xyz: the grid's north axis; w: time (s) for the flow streaks
    vec4 up;      // xyz: the grid's up axis; w: opacity
    vec4 flow;    // x: 1: the flow attribute holds the surface's slope, 0: velocity (m/s)
} water;

// Below this depth (m) a point is dry and not drawn (engine/render/water.cpp: dry_depth).
const float dry_depth = 0.02;
