#version 450
#include "frame.glsl"
#include "water.glsl"
layout(location = 0) in vec3 ground;  // the cell centre's ground, relative to the grid origin
layout(location = 1) in float depth;  // metres
layout(location = 2) in vec2 flow;    // east, north in m/s, or the water surface's slope

layout(location = 0) out vec3 rel_pos;
layout(location = 1) out float water_depth;
layout(location = 2) out vec2 plane;       // metres east and north of the grid origin
layout(location = 3) flat out vec2 flat_flow;  // the triangle's flow (its first vertex's)

void main() {
    vec3 p = water.offset.xyz + ground + water.up.xyz * depth;
    rel_pos = p;
    water_depth = depth;
    plane = vec2(dot(ground, water.east.xyz), dot(ground, water.north.xyz));
    flat_flow = flow;
    if (water.flow.x != 0.0) {
        // No velocity given: the water runs down the surface's slope S at Manning's
        // v = h^(2/3) sqrt(S) / n (n = 0.035, rough floodplain), capped at 5 m/s.
        float s = length(flow);
        float speed = min(pow(max(depth, 0.0), 2.0 / 3.0) * sqrt(s) / 0.035, 5.0);
        flat_flow = s > 1e-6 ? -flow / s * speed : vec2(0.0);
    }
    gl_Position = frame.view_proj * vec4(p, 1.0);
    // Reverse Z: pulled towards the eye, so the terrain tiles (which differ slightly
    // from the flood raster's ground) and draped roads do not cover shallow water.
    gl_Position.z *= 1.0 + water.offset.w;
}
