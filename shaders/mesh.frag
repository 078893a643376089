#version 450
#include "frame.glsl"
#include "draw.glsl"
layout(set = 1, binding = 0) uniform sampler2D base_color_texture;  // sRGB format: sampling returns linear

layout(location = 0) in vec3 rel_pos;
layout(location = 1) in vec3 world_normal;
layout(location = 2) in vec2 tex_uv;
layout(location = 3) in vec4 vertex_color;
layout(location = 4) flat in uint highlighted;  // the picked feature
layout(location = 0) out vec4 out_color;

void main() {
    vec4 albedo = draw.base_color * vertex_color * texture(base_color_texture, tex_uv);
    // Points and lines without normals are lit as if facing up.
    vec3 n = dot(world_normal, world_normal) > 1e-12 ? normalize(world_normal) : frame.up.xyz;
    if (!gl_FrontFacing) n = -n;  // double-sided surfaces light their back faces too
    vec3 up = frame.up.xyz;
    // Sun (Lambert) plus a hemisphere ambient between ground bounce and sky.
    float sun = max(dot(n, frame.sun_dir.xyz), 0.0);
    vec3 ambient = mix(frame.ground_color.rgb, mix(frame.sky_horizon.rgb, frame.sky_zenith.rgb, 0.5),
                       dot(n, up) * 0.5 + 0.5);
    vec3 lit = albedo.rgb * (frame.sun_color.rgb * sun + ambient * 0.55);
    // The picked feature: a strong amber tint that keeps some of the shading, so its
    // shape stays readable.
    if (highlighted != 0u) lit = mix(lit, vec3(1.0, 0.38, 0.0), 0.7) + 0.03;
    // Haze (frame.glsl: thinning with height) towards the sky gradient behind the surface
    // (the sun's glow is left out: haze near the ground does not show it, and it is costly here).
    float dist = length(rel_pos);
    float fog = haze(rel_pos);
    vec3 c = mix(lit, sky_gradient(rel_pos / max(dist, 1e-6)), fog);
    out_color = vec4(c, albedo.a);
}
