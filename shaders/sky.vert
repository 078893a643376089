#version 450
// One triangle that covers the screen.
layout(location = 0) out vec2 ndc;
void main() {
    vec2 p = vec2((gl_VertexIndex << 1) & 2, gl_VertexIndex & 2) * 2.0 - 1.0;
    ndc = p;
    gl_Position = vec4(p, 0.0, 1.0);
}
