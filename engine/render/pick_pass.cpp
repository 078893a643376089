// The pick pass: the region around one pixel drawn with feature ids into a small
// target and read back once the GPU is done with its frame.
#include "engine/gpu/frames.h"
#include "engine/gpu/pick_target.h"
#include "engine/render/renderer.h"
#include "engine/render/renderer_internal.h"

namespace zw::render {

void Renderer::record_pick(gpu::FrameRing& frames, const gpu::Frame& frame, const Camera& camera,
                           VkExtent2D extent) {
    if (!pick_target_) {
        pick_target_ = std::make_unique<gpu::PickTarget>(ctx_, pick_region, passes_.setup().depth_format);
        pick_ = make_pipelines(PassKind::pick);
    }
    const auto [x, y] = *pick_request_;
    pick_request_.reset();
    if (x >= extent.width || y >= extent.height) {  // off the screen (a resize in between): a miss
        pick_in_flight_ = PickInFlight{frame.number, x, y, extent.width, extent.height, {}, false};
        return;
    }
    const VkCommandBuffer cmd = frame.cmd;
    // The full frame's viewport moved so that pixel (x - r, y - r) lands on the target's
    // first texel: the same rasterisation as the frame, for pick_region^2 pixels only.
    const VkViewport viewport{-float(int64_t(x) - int64_t(pick_radius)),
                              -float(int64_t(y) - int64_t(pick_radius)),
                              float(extent.width),
                              float(extent.height),
                              0,
                              1};
    const VkRect2D area{{0, 0}, {pick_region, pick_region}};
    VkClearValue clears[2]{};
    clears[0].color.uint32[0] = no_feature;  // draw 0, table 0, written 0: nothing drawn
    clears[1].depthStencil = {0.0f, 0};      // reverse Z
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.renderPass = pick_target_->pass();
    rp.framebuffer = pick_target_->framebuffer();
    rp.renderArea = area;
    rp.clearValueCount = 2;
    rp.pClearValues = clears;
    frames.begin_pass("pick");
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    vkCmdSetViewport(cmd, 0, 1, &viewport);
    vkCmdSetScissor(cmd, 0, 1, &area);
    VkDescriptorSet frame_set = frame_sets_[frame.slot];
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 0, 1, &frame_set, 0,
                            nullptr);
    const double aspect = double(extent.width) / double(std::max(extent.height, 1u));
    DrawState st{Frustum(camera.projection(aspect) * camera.view_rotation()), camera.eye(), &pick_};
    st.pick = true;
    DrawStats stats;  // not counted in the frame's
    PickInFlight pick{frame.number, x, y, extent.width, extent.height, {}, true};
    // Every drawn layer, translucent ones too (nearest surface wins): a feature one can
    // see can be picked.
    if (model_) draw_model(cmd, own_draw(), 0, st, stats);
    for (size_t i = 0; i < streamed.size(); ++i) {
        const DrawModel& d = streamed[i];
        pick.draws.emplace_back(d.uri ? *d.uri : std::string(), d.layer);
        if (d.model && d.gpu && d.opacity > 0) draw_model(cmd, d, uint32_t(i + 1), st, stats);
    }
    vkCmdEndRenderPass(cmd);
    pick_target_->record_readback(cmd);
    frames.end_pass();
    pick_in_flight_ = std::move(pick);
}

std::optional<PickHit> Renderer::take_pick(const gpu::FrameRing& frames) {
    if (!pick_in_flight_ || !frames.finished(pick_in_flight_->frame)) return std::nullopt;
    const PickInFlight p = std::move(*pick_in_flight_);
    pick_in_flight_.reset();
    PickHit hit;
    hit.x = p.x;
    hit.y = p.y;
    if (!p.drawn) return hit;
    const std::vector<uint32_t> texels = pick_target_->read();
    std::vector<PickSample> region(texels.size() / 4);
    for (size_t i = 0; i < region.size(); ++i)
        region[i] = {texels[i * 4], texels[i * 4 + 1], texels[i * 4 + 2], texels[i * 4 + 3]};
    const std::optional<size_t> chosen = choose_sample(
        region, int64_t(p.x) - int64_t(pick_radius), int64_t(p.y) - int64_t(pick_radius), p.width, p.height);
    if (!chosen) return hit;
    const PickSample& s = region[*chosen];
    if (s.draw == 0) {
        if (!model_) return hit;
        hit.own_model = true;
    } else if (s.draw - 1 < p.draws.size()) {
        hit.content = p.draws[s.draw - 1].first;
        hit.layer = p.draws[s.draw - 1].second;
    } else {
        return hit;
    }
    hit.hit = true;
    hit.feature = s.feature;
    hit.table = int32_t(s.table) - 1;
    return hit;
}

}  // namespace zw::render
