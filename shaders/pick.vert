#version 450
// The pick pass: the same transform as mesh.vert, and the vertex's feature id.
#include "frame.glsl"
#include "draw.glsl"
#include "instance.glsl"
layout(location = 0) in vec3 position;
layout(location = 4) in uint feature_id;
layout(location = 0) flat out uint feature;

void main() {
    feature = feature_of(feature_id);
    gl_Position = frame.view_proj * (draw.model * (instance_matrix() * vec4(position, 1.0)));
    gl_Position.z *= 1.0 + draw.depth_pull;
    gl_PointSize = 4.0;
}
