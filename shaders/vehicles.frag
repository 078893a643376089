#version 450
#include "frame.glsl"
// Lit like shaders/mesh.frag: sun (Lambert), hemisphere ambient and distance fog.
layout(location = 0) in vec3 rel_pos;
layout(location = 1) in vec3 world_normal;
layout(location = 2) in vec3 albedo;
layout(location = 0) out vec4 out_color;

void main() {
    vec3 n = normalize(world_normal);
    vec3 up = frame.up.xyz;
    float sun = max(dot(n, frame.sun_dir.xyz), 0.0);
    vec3 ambient = mix(frame.ground_color.rgb, mix(frame.sky_horizon.rgb, frame.sky_zenith.rgb, 0.5),
                       dot(n, up) * 0.5 + 0.5);
    vec3 lit = albedo * (frame.sun_color.rgb * sun + ambient * 0.55);
    float dist = length(rel_pos);
    float fog = haze(rel_pos);
    out_color = vec4(mix(lit, sky_gradient(rel_pos / max(dist, 1e-6)), fog), 1.0);
}
