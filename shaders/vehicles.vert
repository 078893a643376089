#version 450
#include "frame.glsl"
// engine/render/vehicles.cpp: the mesh in the vehicle's frame (x forward from the front
// bumper, y left, z up from the road) and, per instance, its place and axes.
layout(location = 0) in vec3 position;
layout(location = 1) in vec3 normal;
layout(location = 2) in vec3 color;       // linear
layout(location = 3) in vec3 offset;      // instance: the front bumper's road point minus the eye
layout(location = 4) in vec3 forward;     // instance: unit heading (world axes)
layout(location = 5) in vec3 up;          // instance: unit local up (world axes)

layout(location = 0) out vec3 rel_pos;
layout(location = 1) out vec3 world_normal;
layout(location = 2) out vec3 albedo;

void main() {
    // forward, left, up: orthonormal when forward is level (the caller makes it so).
    mat3 axes = mat3(forward, cross(up, forward), up);
    vec3 p = offset + axes * position;
    rel_pos = p;
    world_normal = axes * normal;
    albedo = color;
    gl_Position = frame.view_proj * vec4(p, 1.0);
}
