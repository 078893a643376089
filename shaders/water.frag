#version 450
#include "frame.glsl"
#include "water.glsl"
layout(location = 0) in vec3 rel_pos;
layout(location = 1) in float water_depth;
layout(location = 2) in vec2 plane;
layout(location = 3) flat in vec2 flat_flow;
layout(location = 0) out vec4 out_color;

const float pi = 3.14159265;

float hash(float n) {
    return fract(sin(n * 12.9898) * 43758.5453);
}

// Dashes drifting along the flow in lanes across it: 0 .. 1. The direction is rounded
// to 16 headings and the drift speed to steps, so neighbouring triangles with similar
// flow share their lanes and the pattern runs on across their edges.
float streaks(vec2 flow, float speed, float cell) {
    float heading = round(atan(flow.y, flow.x) / (pi / 8.0)) * (pi / 8.0);
    vec2 dir = vec2(cos(heading), sin(heading));
    float along = dot(plane, dir), across = dot(plane, vec2(-dir.y, dir.x));
    float lane_width = max(cell * 0.2, 0.5);
    float dash = lane_width * 8.0;
    float lane = floor(across / lane_width);
    float drift = max(round(speed * 4.0) / 4.0, 0.25) * water.north.w;
    float phase = fract((along - drift) / dash + hash(lane));
    float s = smoothstep(0.0, 0.12, phase) * (1.0 - smoothstep(0.3, 0.55, phase));
    float centre = abs(fract(across / lane_width) - 0.5);
    s *= 1.0 - smoothstep(0.12, 0.4, centre);
    s *= step(0.55, hash(lane + 17.31));  // every other lane or so
    // Lanes narrower than a pixel would shimmer: fade them out with distance.
    float pixels = lane_width / max(fwidth(across), 1e-6);
    return s * smoothstep(1.5, 4.0, pixels);
}

void main() {
    // Derivatives before any discard (a discarded neighbour leaves them undefined).
    vec3 n = normalize(cross(dFdx(rel_pos), dFdy(rel_pos)));
    float d = water_depth;
    float pattern = 0.0;
    float speed = length(flat_flow);
    if (speed > 0.02) pattern = streaks(flat_flow, speed, water.east.w);
    if (d < dry_depth) discard;

    vec3 up = water.up.xyz;
    if (dot(n, up) < 0.0) n = -n;
    // Depth colour: light turquoise when shallow (< 0.1 m), deep blue from 2 m (linear).
    float t = pow(clamp((d - 0.1) / 1.9, 0.0, 1.0), 0.7);
    vec3 shallow = vec3(0.10, 0.55, 0.60);
    vec3 deep = vec3(0.004, 0.035, 0.22);
    vec3 albedo = mix(shallow, deep, t);
    float alpha = mix(0.45, 0.85, t);
    // The shoreline: a lighter foam band, and the water fading in over its first 10 cm.
    float foam = smoothstep(dry_depth, 0.045, d) * (1.0 - smoothstep(0.06, 0.14, d));
    albedo = mix(albedo, vec3(0.80, 0.90, 0.92), foam * 0.55);
    alpha *= smoothstep(dry_depth, 0.10, d);
    // Flow cues: subtle, stronger for faster water.
    float contrast = 0.25 * smoothstep(0.05, 1.5, speed);
    albedo = mix(albedo, vec3(0.85, 0.95, 1.0), pattern * contrast);

    // Sun (Lambert, softened) and a little specular glint; ambient from the sky.
    vec3 view = -normalize(rel_pos);
    float sun = max(dot(n, frame.sun_dir.xyz), 0.0);
    vec3 ambient = mix(frame.sky_horizon.rgb, frame.sky_zenith.rgb, 0.5);
    vec3 lit = albedo * (frame.sun_color.rgb * (0.35 + 0.45 * sun) + ambient * 0.45);
    vec3 h = normalize(frame.sun_dir.xyz + view);
    lit += frame.sun_color.rgb * pow(max(dot(n, h), 0.0), 120.0) * 0.25;

    float dist = length(rel_pos);
    float fog = haze(rel_pos);
    vec3 c = mix(lit, sky_gradient(rel_pos / max(dist, 1e-6)), fog);
    out_color = vec4(c, clamp(alpha * water.up.w, 0.0, 1.0));
}
