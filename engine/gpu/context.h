// The Vulkan instance, the chosen physical device, one graphics+compute queue, the
// memory allocator and the validation messenger. Everything else borrows from it.
#pragma once

#include <vulkan/vulkan.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/gpu/allocator.h"

namespace zw::gpu {

struct ContextOptions {
    bool validation = false;  // Khronos validation layer + synchronization validation
    std::string gpu_name;     // case-insensitive substring of the device name; empty: best device
    std::vector<std::string> instance_extensions;  // e.g. what GLFW needs for a surface
    // When set, called once the instance exists; the returned surface must be presentable
    // from the chosen queue, and the Context destroys it before the instance.
    std::function<VkSurfaceKHR(VkInstance)> create_surface;
    bool quiet = false;  // don't print the device choice
};

struct DeviceInfo {
    std::string name;
    VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
    uint32_t api_version = 0;
};

// Order of preference: discrete > integrated > virtual > CPU > other.
// Returns the index into `devices`, or -1 when `wanted` (substring, case-insensitive)
// matches none. Pure logic, unit-tested.
int choose_device(const std::vector<DeviceInfo>& devices, const std::string& wanted);

const char* device_type_name(VkPhysicalDeviceType type);

class Context {
  public:
    explicit Context(const ContextOptions& options);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    VkInstance instance() const { return instance_; }
    VkPhysicalDevice physical_device() const { return physical_; }
    VkDevice device() const { return device_; }
    VkQueue queue() const { return queue_; }
    uint32_t queue_family() const { return queue_family_; }
    VkSurfaceKHR surface() const { return surface_; }
    const VkPhysicalDeviceProperties& properties() const { return properties_; }
    const DeviceInfo& device_info() const { return info_; }
    DeviceAllocator& allocator() { return *allocator_; }

    // Nanoseconds per timestamp tick; 0 when the queue cannot write timestamps.
    double timestamp_period_ns() const { return timestamp_period_ns_; }
    // Whether shaders may use double precision (enabled whenever the device has it).
    bool shader_float64() const { return shader_float64_; }
    // The highest sample count <= wanted that color and depth attachments both support.
    VkSampleCountFlagBits msaa_samples(VkSampleCountFlagBits wanted) const;

    // Validation messages of severity warning or error since start (0 without validation).
    uint32_t validation_messages() const { return validation_messages_; }
    bool validation_enabled() const { return messenger_ != VK_NULL_HANDLE; }

    // Debug names and labels (no-ops when VK_EXT_debug_utils is unavailable).
    void set_name(uint64_t handle, VkObjectType type, const std::string& name) const;
    template <typename T>
    void set_name(T handle, VkObjectType type, const std::string& name) const {
        set_name(reinterpret_cast<uint64_t>(handle), type, name);
    }
    void begin_label(VkCommandBuffer cmd, const char* name) const;
    void end_label(VkCommandBuffer cmd) const;

    // Runs `record` on a one-time command buffer, submits it and waits. For setup work
    // (uploads at load time), never inside the frame loop.
    void submit_now(const std::function<void(VkCommandBuffer)>& record);

    void wait_idle() const;

  private:
    static VKAPI_ATTR VkBool32 VKAPI_CALL on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                     VkDebugUtilsMessageTypeFlagsEXT types,
                                                     const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                     void* user);

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    VkSurfaceKHR surface_ = VK_NULL_HANDLE;
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queue_family_ = 0;
    VkPhysicalDeviceProperties properties_{};
    DeviceInfo info_;
    double timestamp_period_ns_ = 0;
    bool shader_float64_ = false;
    VkCommandPool setup_pool_ = VK_NULL_HANDLE;
    std::unique_ptr<DeviceAllocator> allocator_;
    std::atomic<uint32_t> validation_messages_{0};

    PFN_vkSetDebugUtilsObjectNameEXT set_name_ = nullptr;
    PFN_vkCmdBeginDebugUtilsLabelEXT begin_label_ = nullptr;
    PFN_vkCmdEndDebugUtilsLabelEXT end_label_ = nullptr;
};

}  // namespace zw::gpu
