#version 450
// The pick pass writes what a pick needs to find the feature on the CPU: its id, the
// draw (hence the tile content and layer) and the property table its ids index.
#include "draw.glsl"
layout(location = 0) flat in uint feature;
layout(location = 0) out uvec4 pick;  // feature id, draw number, property table + 1, 1 (written)

void main() {
    pick = uvec4(feature, draw.feature_arg, draw.flags >> 8, 1u);
}
