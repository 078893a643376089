#version 450
#include "frame.glsl"
// Ribbons as their colour (a = 0), barriers and signs lit like shaders/mesh.frag (a = 1);
// red-white stripes where a period is given; distance fog like every other surface.
layout(location = 0) in vec3 rel_pos;
layout(location = 1) in vec3 world_normal;
layout(location = 2) in vec4 albedo;
layout(location = 3) in vec2 stripes;
layout(location = 0) out vec4 out_color;

void main() {
    vec3 base = albedo.rgb;
    if (stripes.y > 0.0 && fract(stripes.x / stripes.y) >= 0.5) base = vec3(0.9);
    vec3 n = normalize(world_normal);
    float sun = max(dot(n, frame.sun_dir.xyz), 0.0);
    vec3 ambient = mix(frame.ground_color.rgb, mix(frame.sky_horizon.rgb, frame.sky_zenith.rgb, 0.5),
                       dot(n, frame.up.xyz) * 0.5 + 0.5);
    vec3 lit = base * (frame.sun_color.rgb * sun + ambient * 0.55);
    vec3 c = mix(base, lit, albedo.a);
    float dist = length(rel_pos);
    float fog = haze(rel_pos);
    out_color = vec4(mix(c, sky_gradient(rel_pos / max(dist, 1e-6)), fog), 1.0);
}
