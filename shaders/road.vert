#version 450
#include "frame.glsl"
// engine/render/road_overlay.cpp: the traffic's road ribbons, barriers and signs, each
// vertex relative to the mesh's anchor.
layout(push_constant) uniform RoadDraw {
    vec4 offset;  // xyz: the anchor minus the eye (world axes); w: depth pull
} road;

layout(location = 0) in vec3 position;
layout(location = 1) in vec3 normal;
layout(location = 2) in vec4 color;   // linear rgb; a: how much the scene's light shades it
layout(location = 3) in vec2 stripe;  // x: stripe coordinate (m), y: stripe period (m; 0: none)

layout(location = 0) out vec3 rel_pos;
layout(location = 1) out vec3 world_normal;
layout(location = 2) out vec4 albedo;
layout(location = 3) out vec2 stripes;

void main() {
    vec3 p = road.offset.xyz + position;
    rel_pos = p;
    world_normal = normal;
    albedo = color;
    stripes = stripe;
    gl_Position = frame.view_proj * vec4(p, 1.0);
    // Reverse Z: pulled towards the eye, over the draped road tiles (RoadOverlay).
    gl_Position.z *= 1.0 + road.offset.w;
}
