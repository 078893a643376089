#version 450
#include "frame.glsl"
#include "draw.glsl"
#include "instance.glsl"
layout(location = 0) in vec3 position;
layout(location = 1) in vec3 normal;
layout(location = 2) in vec2 uv;
layout(location = 3) in vec4 color;
layout(location = 4) in uint feature_id;  // EXT_mesh_features (second vertex stream)

layout(location = 0) out vec3 rel_pos;
layout(location = 1) out vec3 world_normal;
layout(location = 2) out vec2 tex_uv;
layout(location = 3) out vec4 vertex_color;
layout(location = 4) flat out uint highlighted;

void main() {
    mat4 copy = instance_matrix();
    vec4 p = draw.model * (copy * vec4(position, 1.0));
    rel_pos = p.xyz;
    // The copy's normal matrix: the inverse transpose of its 3x3 (identity for draws
    // that are not instanced; copies with a zero scale are never written).
    vec3 n = transpose(inverse(mat3(copy))) * normal;
    world_normal = mat3(draw.normal_x, draw.normal_y, draw.normal_z) * n;
    tex_uv = uv;
    vertex_color = color;
    uint feature = feature_of(feature_id);
    highlighted = feature != no_feature && feature == draw.feature_arg ? 1u : 0u;
    gl_Position = frame.view_proj * p;
    // Reverse Z: a larger z is nearer. Roads and water draped on the terrain are pulled
    // towards the eye so coarser terrain tiles do not cover them.
    gl_Position.z *= 1.0 + draw.depth_pull;
    gl_PointSize = 4.0;  // point primitives (point clouds, markers); ignored for lines and triangles
}
