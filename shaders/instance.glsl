// The copies of a GPU-instanced mesh (i3dm, EXT_mesh_gpu_instancing) for the mesh and
// pick passes: set 2, one per instance index (gl_InstanceIndex counts from the draw's
// firstInstance). Each is an affine 3x4 transform applied before draw.model, and its
// feature id. Draws that are not instanced read a single identity copy without a feature.
struct Copy {
    vec4 row0;
    vec4 row1;
    vec4 row2;
    uint feature;
};
layout(std430, set = 2, binding = 0) readonly buffer Copies {
    Copy copies[];
};

mat4 instance_matrix() {
    Copy c = copies[gl_InstanceIndex];
    return transpose(mat4(c.row0, c.row1, c.row2, vec4(0.0, 0.0, 0.0, 1.0)));
}

// The feature under this vertex: the copy's (flags bit 1: i3dm BATCH_ID) or the vertex's.
uint feature_of(uint vertex_feature_id) {
    return (draw.flags & 2u) != 0u ? copies[gl_InstanceIndex].feature : vertex_feature(vertex_feature_id);
}
