// Result checks, split by intent (as niagara does): ZW_VK for calls that must succeed,
// and explicit handling at the call site where SUBOPTIMAL/OUT_OF_DATE/NOT_READY are normal.
#pragma once

#include <vulkan/vulkan.h>

namespace zw::gpu {

const char* result_name(VkResult r);

// Throws zw::Error naming the call, the result and a hint for the usual causes.
[[noreturn]] void throw_vk_error(VkResult r, const char* call, const char* file, int line);

}  // namespace zw::gpu

#define ZW_VK(call)                                                                                 \
    do {                                                                                            \
        const VkResult zw_vk_result_ = (call);                                                      \
        if (zw_vk_result_ < 0) ::zw::gpu::throw_vk_error(zw_vk_result_, #call, __FILE__, __LINE__); \
    } while (0)
