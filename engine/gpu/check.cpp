#include "engine/gpu/check.h"

#include <filesystem>

#include "engine/core/error.h"

namespace zw::gpu {

const char* result_name(VkResult r) {
    switch (r) {
#define ZW_CASE(x) \
    case x:        \
        return #x;
        ZW_CASE(VK_SUCCESS)
        ZW_CASE(VK_NOT_READY)
        ZW_CASE(VK_TIMEOUT)
        ZW_CASE(VK_INCOMPLETE)
        ZW_CASE(VK_SUBOPTIMAL_KHR)
        ZW_CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
        ZW_CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        ZW_CASE(VK_ERROR_INITIALIZATION_FAILED)
        ZW_CASE(VK_ERROR_DEVICE_LOST)
        ZW_CASE(VK_ERROR_MEMORY_MAP_FAILED)
        ZW_CASE(VK_ERROR_LAYER_NOT_PRESENT)
        ZW_CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
        ZW_CASE(VK_ERROR_FEATURE_NOT_PRESENT)
        ZW_CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
        ZW_CASE(VK_ERROR_TOO_MANY_OBJECTS)
        ZW_CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
        ZW_CASE(VK_ERROR_SURFACE_LOST_KHR)
        ZW_CASE(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
        ZW_CASE(VK_ERROR_OUT_OF_DATE_KHR)
        ZW_CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
#undef ZW_CASE
        default:
            return "VkResult(unknown)";
    }
}

void throw_vk_error(VkResult r, const char* call, const char* file, int line) {
    const char* hint = "";
    switch (r) {
        case VK_ERROR_INCOMPATIBLE_DRIVER:
        case VK_ERROR_INITIALIZATION_FAILED:
            hint = " - is a Vulkan driver installed? (on Debian: apt-get install mesa-vulkan-drivers)";
            break;
        case VK_ERROR_LAYER_NOT_PRESENT:
            hint = " - the validation layer is missing (on Debian: apt-get install vulkan-validationlayers)";
            break;
        case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        case VK_ERROR_OUT_OF_HOST_MEMORY:
            hint = " - out of memory: try a smaller window or fewer layers";
            break;
        case VK_ERROR_DEVICE_LOST:
            hint = " - the GPU driver reset the device; restart the viewer";
            break;
        default:
            break;
    }
    fail("Vulkan call failed: ", call, " returned ", result_name(r), " (",
         std::filesystem::path(file).filename().string(), ":", line, ")", hint);
}

}  // namespace zw::gpu
