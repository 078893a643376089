// Per-draw push constants of the scene and pick passes: 128 bytes, the guaranteed
// minimum (std430: each scalar fills the fourth slot of the vec3 before it).
layout(push_constant) uniform Draw {
    mat4 model;        // object -> eye-relative world (translation already minus the eye)
    vec3 normal_x;     // columns of the normal matrix (inverse transpose of the model's 3x3)
    float depth_pull;  // a fraction of the distance (draped layers)
    vec3 normal_y;
    uint feature_arg;  // scene: the highlighted feature id (0xFFFFFFFF: none); pick: the draw number
    vec3 normal_z;
    uint flags;        // bit 0: the feature id stream holds ids; bit 1: the instance's id wins
                       // (instance.glsl); bits 8-31 (pick): property table + 1
    vec4 base_color;   // linear; alpha includes the layer's opacity
} draw;

const uint no_feature = 0xFFFFFFFFu;

// The vertex's feature id, or no_feature when the model has none (its feature id stream
// is then a stand-in that must not be read as ids).
uint vertex_feature(uint id) {
    return (draw.flags & 1u) != 0u ? id : no_feature;
}
