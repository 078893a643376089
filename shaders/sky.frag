#version 450
#include "frame.glsl"
layout(location = 0) in vec2 ndc;
layout(location = 0) out vec4 color;
void main() {
    vec4 p = frame.inv_view_proj * vec4(ndc, 1.0, 1.0);  // a point on the near plane
    color = vec4(sky_color(p.xyz / p.w), 1.0);
}
