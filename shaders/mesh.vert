#version 450
#include "frame.glsl"
layout(location = 0) in vec3 position;
layout(location = 1) in vec3 normal;
layout(location = 2) in vec2 uv;
layout(location = 3) in vec4 color;

layout(push_constant) uniform Draw {
    mat4 model;        // object -> eye-relative world (translation already minus the eye)
    vec4 normal_x;     // columns of the normal matrix (inverse transpose of the model's 3x3);
                       // normal_x.w: depth pull, a fraction of the distance (draped layers)
    vec4 normal_y;
    vec4 normal_z;
    vec4 base_color;   // linear
} draw;

layout(location = 0) out vec3 rel_pos;
layout(location = 1) out vec3 world_normal;
layout(location = 2) out vec2 tex_uv;
layout(location = 3) out vec4 vertex_color;

void main() {
    vec4 p = draw.model * vec4(position, 1.0);
    rel_pos = p.xyz;
    world_normal = mat3(draw.normal_x.xyz, draw.normal_y.xyz, draw.normal_z.xyz) * normal;
    tex_uv = uv;
    vertex_color = color;
    gl_Position = frame.view_proj * p;
    // Reverse Z: a larger z is nearer. Roads and water draped on the terrain are pulled
    // towards the eye so coarser terrain tiles do not cover them.
    gl_Position.z *= 1.0 + draw.normal_x.w;
    gl_PointSize = 4.0;  // point primitives (point clouds, markers); ignored for lines and triangles
}
