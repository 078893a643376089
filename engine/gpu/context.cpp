#include "engine/gpu/context.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <sstream>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/gpu/check.h"

namespace zw::gpu {
namespace {

constexpr const char* validation_layer = "VK_LAYER_KHRONOS_validation";

int type_rank(VkPhysicalDeviceType t) {
    switch (t) {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
            return 4;
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
            return 3;
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
            return 2;
        case VK_PHYSICAL_DEVICE_TYPE_CPU:
            return 1;
        default:
            return 0;
    }
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool has_instance_extension(const char* name) {
    uint32_t n = 0;
    vkEnumerateInstanceExtensionProperties(nullptr, &n, nullptr);
    std::vector<VkExtensionProperties> all(n);
    vkEnumerateInstanceExtensionProperties(nullptr, &n, all.data());
    return std::any_of(all.begin(), all.end(),
                       [&](const auto& e) { return std::strcmp(e.extensionName, name) == 0; });
}

bool has_layer(const char* name) {
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, nullptr);
    std::vector<VkLayerProperties> all(n);
    vkEnumerateInstanceLayerProperties(&n, all.data());
    return std::any_of(all.begin(), all.end(),
                       [&](const auto& l) { return std::strcmp(l.layerName, name) == 0; });
}

std::string version_string(uint32_t v) {
    std::ostringstream s;
    s << VK_API_VERSION_MAJOR(v) << "." << VK_API_VERSION_MINOR(v) << "." << VK_API_VERSION_PATCH(v);
    return s.str();
}

}  // namespace

const char* device_type_name(VkPhysicalDeviceType type) {
    switch (type) {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
            return "discrete GPU";
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
            return "integrated GPU";
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
            return "virtual GPU";
        case VK_PHYSICAL_DEVICE_TYPE_CPU:
            return "CPU";
        default:
            return "other";
    }
}

int choose_device(const std::vector<DeviceInfo>& devices, const std::string& wanted) {
    int best = -1;
    for (int i = 0; i < static_cast<int>(devices.size()); ++i) {
        if (!wanted.empty() && lower(devices[i].name).find(lower(wanted)) == std::string::npos) continue;
        if (best < 0 || type_rank(devices[i].type) > type_rank(devices[best].type)) best = i;
    }
    return best;
}

VKAPI_ATTR VkBool32 VKAPI_CALL Context::on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                   void* user) {
    auto* self = static_cast<Context*>(user);
    if (severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        ++self->validation_messages_;
        core::log(severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT ? core::Level::error
                                                                            : core::Level::warn,
                  "validation: ", data->pMessage);
    }
    return VK_FALSE;
}

Context::Context(const ContextOptions& options) {
    // Instance.
    std::vector<const char*> extensions;
    for (const auto& e : options.instance_extensions)
        extensions.push_back(e.c_str());
    const bool debug_utils = has_instance_extension(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    if (debug_utils) extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    std::vector<const char*> layers;
    if (options.validation) {
        if (!has_layer(validation_layer))
            fail(
                "the Vulkan validation layer is not installed (on Debian: apt-get install "
                "vulkan-validationlayers)");
        if (!debug_utils) fail("validation needs VK_EXT_debug_utils, which this Vulkan loader lacks");
        layers.push_back(validation_layer);
    }
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "zwilling";
    app.pEngineName = "zwilling";
    app.apiVersion = VK_API_VERSION_1_2;

    VkDebugUtilsMessengerCreateInfoEXT messenger_info{
        VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    messenger_info.messageSeverity =
        VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messenger_info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                                 VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                 VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    messenger_info.pfnUserCallback = &Context::on_message;
    messenger_info.pUserData = this;
    const VkValidationFeatureEnableEXT features[] = {
        VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
    VkValidationFeaturesEXT validation_features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
    validation_features.enabledValidationFeatureCount = 1;
    validation_features.pEnabledValidationFeatures = features;
    validation_features.pNext = &messenger_info;  // also reports on instance creation itself

    VkInstanceCreateInfo ici{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    ici.pApplicationInfo = &app;
    ici.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    ici.ppEnabledExtensionNames = extensions.data();
    ici.enabledLayerCount = static_cast<uint32_t>(layers.size());
    ici.ppEnabledLayerNames = layers.data();
    if (options.validation) ici.pNext = &validation_features;
    ZW_VK(vkCreateInstance(&ici, nullptr, &instance_));

    if (debug_utils) {
        set_name_ = reinterpret_cast<PFN_vkSetDebugUtilsObjectNameEXT>(
            vkGetInstanceProcAddr(instance_, "vkSetDebugUtilsObjectNameEXT"));
        begin_label_ = reinterpret_cast<PFN_vkCmdBeginDebugUtilsLabelEXT>(
            vkGetInstanceProcAddr(instance_, "vkCmdBeginDebugUtilsLabelEXT"));
        end_label_ = reinterpret_cast<PFN_vkCmdEndDebugUtilsLabelEXT>(
            vkGetInstanceProcAddr(instance_, "vkCmdEndDebugUtilsLabelEXT"));
    }
    if (options.validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
        ZW_VK(create(instance_, &messenger_info, nullptr, &messenger_));
    }
    if (options.create_surface) surface_ = options.create_surface(instance_);

    // Physical device.
    uint32_t count = 0;
    vkEnumeratePhysicalDevices(instance_, &count, nullptr);
    std::vector<VkPhysicalDevice> physicals(count);
    vkEnumeratePhysicalDevices(instance_, &count, physicals.data());
    std::vector<DeviceInfo> infos;
    for (auto p : physicals) {
        VkPhysicalDeviceProperties props;
        vkGetPhysicalDeviceProperties(p, &props);
        infos.push_back({props.deviceName, props.deviceType, props.apiVersion});
    }
    if (infos.empty())
        fail(
            "no Vulkan device found - install a Vulkan driver (on Debian: apt-get install "
            "mesa-vulkan-drivers)");
    const int chosen = choose_device(infos, options.gpu_name);
    if (chosen < 0) {
        std::ostringstream names;
        for (const auto& i : infos)
            names << "\n  " << i.name << " (" << device_type_name(i.type) << ")";
        fail("no Vulkan device matches --gpu '", options.gpu_name, "'; available:", names.str());
    }
    physical_ = physicals[chosen];
    info_ = infos[chosen];
    vkGetPhysicalDeviceProperties(physical_, &properties_);

    // One queue for graphics and compute (and presentation, when there is a surface).
    uint32_t family_count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &family_count, nullptr);
    std::vector<VkQueueFamilyProperties> families(family_count);
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &family_count, families.data());
    bool found = false;
    for (uint32_t i = 0; i < family_count && !found; ++i) {
        const VkQueueFlags want = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT;
        if ((families[i].queueFlags & want) != want) continue;
        if (surface_) {
            VkBool32 present = VK_FALSE;
            vkGetPhysicalDeviceSurfaceSupportKHR(physical_, i, surface_, &present);
            if (!present) continue;
        }
        queue_family_ = i;
        found = true;
    }
    if (!found)
        fail(info_.name, " has no queue that does graphics, compute", surface_ ? " and presentation" : "");
    if (families[queue_family_].timestampValidBits > 0)
        timestamp_period_ns_ = properties_.limits.timestampPeriod;

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo qci{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qci.queueFamilyIndex = queue_family_;
    qci.queueCount = 1;
    qci.pQueuePriorities = &priority;
    std::vector<const char*> device_extensions;
    if (surface_) device_extensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    VkPhysicalDeviceFeatures supported{};
    vkGetPhysicalDeviceFeatures(physical_, &supported);
    VkPhysicalDeviceFeatures enabled{};
    enabled.samplerAnisotropy = supported.samplerAnisotropy;
    enabled.fillModeNonSolid = supported.fillModeNonSolid;
    enabled.shaderFloat64 = supported.shaderFloat64;  // the flood compute solver's doubles
    shader_float64_ = supported.shaderFloat64 == VK_TRUE;
    VkDeviceCreateInfo dci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    dci.queueCreateInfoCount = 1;
    dci.pQueueCreateInfos = &qci;
    dci.enabledExtensionCount = static_cast<uint32_t>(device_extensions.size());
    dci.ppEnabledExtensionNames = device_extensions.data();
    dci.pEnabledFeatures = &enabled;
    ZW_VK(vkCreateDevice(physical_, &dci, nullptr, &device_));
    vkGetDeviceQueue(device_, queue_family_, 0, &queue_);
    set_name(queue_, VK_OBJECT_TYPE_QUEUE, "main queue");

    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    pci.queueFamilyIndex = queue_family_;
    ZW_VK(vkCreateCommandPool(device_, &pci, nullptr, &setup_pool_));
    set_name(setup_pool_, VK_OBJECT_TYPE_COMMAND_POOL, "setup command pool");
    allocator_ = std::make_unique<DeviceAllocator>(device_, physical_);

    if (!options.quiet)
        core::info("GPU: ", info_.name, " (", device_type_name(info_.type), ", Vulkan ",
                   version_string(info_.api_version), ")", options.validation ? ", validation on" : "");
}

Context::~Context() {
    if (device_) {
        vkDeviceWaitIdle(device_);
        allocator_.reset();
        vkDestroyCommandPool(device_, setup_pool_, nullptr);
        vkDestroyDevice(device_, nullptr);
    }
    if (surface_) vkDestroySurfaceKHR(instance_, surface_, nullptr);
    if (messenger_) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
        destroy(instance_, messenger_, nullptr);
    }
    if (instance_) vkDestroyInstance(instance_, nullptr);
}

VkSampleCountFlagBits Context::msaa_samples(VkSampleCountFlagBits wanted) const {
    const VkSampleCountFlags both =
        properties_.limits.framebufferColorSampleCounts & properties_.limits.framebufferDepthSampleCounts;
    for (uint32_t s = wanted; s > 1; s >>= 1)
        if (both & s) return static_cast<VkSampleCountFlagBits>(s);
    return VK_SAMPLE_COUNT_1_BIT;
}

void Context::set_name(uint64_t handle, VkObjectType type, const std::string& name) const {
    if (!set_name_ || !handle) return;
    VkDebugUtilsObjectNameInfoEXT info{VK_STRUCTURE_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT};
    info.objectType = type;
    info.objectHandle = handle;
    info.pObjectName = name.c_str();
    set_name_(device_, &info);
}

void Context::begin_label(VkCommandBuffer cmd, const char* name) const {
    if (!begin_label_) return;
    VkDebugUtilsLabelEXT label{VK_STRUCTURE_TYPE_DEBUG_UTILS_LABEL_EXT};
    label.pLabelName = name;
    begin_label_(cmd, &label);
}

void Context::end_label(VkCommandBuffer cmd) const {
    if (end_label_) end_label_(cmd);
}

void Context::submit_now(const std::function<void(VkCommandBuffer)>& record) {
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = setup_pool_;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    ZW_VK(vkAllocateCommandBuffers(device_, &ai, &cmd));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    ZW_VK(vkBeginCommandBuffer(cmd, &bi));
    record(cmd);
    ZW_VK(vkEndCommandBuffer(cmd));
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence = VK_NULL_HANDLE;
    ZW_VK(vkCreateFence(device_, &fci, nullptr, &fence));
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd;
    const VkResult submitted = vkQueueSubmit(queue_, 1, &si, fence);
    const VkResult waited =
        submitted == VK_SUCCESS ? vkWaitForFences(device_, 1, &fence, VK_TRUE, UINT64_MAX) : submitted;
    vkDestroyFence(device_, fence, nullptr);
    vkFreeCommandBuffers(device_, setup_pool_, 1, &cmd);
    ZW_VK(waited);
}

void Context::wait_idle() const {
    vkDeviceWaitIdle(device_);
}

}  // namespace zw::gpu
