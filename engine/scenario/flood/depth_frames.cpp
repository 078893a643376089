#include "engine/scenario/flood/depth_frames.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/json_fields.h"

namespace zw::scenario {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr char magic[8] = {'Z', 'W', 'F', 'L', 'O', 'O', 'D', '1'};
constexpr double unit_m = 0.001;
constexpr double velocity_unit = 0.01;  // m/s
constexpr uint64_t max_cells = max_ascii_grid_cells;

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(uint8_t(v >> (8 * i)));
}

// `series` at time t: linear between the two frames around t, the first or last outside.
void sample_series(const std::vector<double>& times_s, const std::vector<std::vector<float>>& series,
                   double t, size_t size, std::vector<float>& out) {
    out.assign(size, 0.0f);
    if (times_s.empty() || series.size() != times_s.size()) return;
    if (t <= times_s.front()) {
        out = series.front();
        return;
    }
    if (t >= times_s.back()) {
        out = series.back();
        return;
    }
    const size_t b = size_t(std::upper_bound(times_s.begin(), times_s.end(), t) - times_s.begin());
    const size_t a = b - 1;
    const auto w = float((t - times_s[a]) / (times_s[b] - times_s[a]));
    const std::vector<float>& fa = series[a];
    const std::vector<float>& fb = series[b];
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = fa[i] + w * (fb[i] - fa[i]);
}

// The number in a file name as seconds; a name with 400 digits is refused, not thrown
// out of std::stod.
double seconds_of(const std::string& digits, const std::string& name) {
    double t = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), t);
    if (r.ec != std::errc() || r.ptr != digits.data() + digits.size() || !(t <= 1e12))
        fail("'", name, "': its number is no time of a flood (at most 1e12 s)");
    return t;
}

std::vector<uint8_t> compress(const void* data, size_t bytes, const char* what) {
    uLongf size = compressBound(uLong(bytes));
    std::vector<uint8_t> blob(size);
    if (compress2(blob.data(), &size, static_cast<const Bytef*>(data), uLong(bytes), 6) != Z_OK)
        fail("cannot compress ", what, " (out of memory?)");
    blob.resize(size);
    return blob;
}

}  // namespace

void DepthFrames::sample(double t, std::vector<float>& out) const {
    sample_series(times_s, depth_m, t, size_t(ncols) * nrows, out);
}

bool DepthFrames::sample_velocity(double t, std::vector<float>& out) const {
    if (velocity_ms.empty() || velocity_ms.size() != times_s.size()) {
        out.clear();
        return false;
    }
    sample_series(times_s, velocity_ms, t, 2 * size_t(ncols) * nrows, out);
    return true;
}

void add_frame(DepthFrames& f, double t, const AsciiGrid& g) {
    if (f.times_s.empty()) {
        f.ncols = g.ncols;
        f.nrows = g.nrows;
        f.xllcorner = g.xllcorner;
        f.yllcorner = g.yllcorner;
        f.cellsize = g.cellsize;
    } else {
        if (g.ncols != f.ncols || g.nrows != f.nrows || std::abs(g.cellsize - f.cellsize) > 1e-9 ||
            std::abs(g.xllcorner - f.xllcorner) > 1e-6 || std::abs(g.yllcorner - f.yllcorner) > 1e-6)
            fail("the depth raster at t = ", t, " s has another grid (", g.ncols, " x ", g.nrows,
                 " cells of ", g.cellsize, " m) than the first (", f.ncols, " x ", f.nrows, " of ",
                 f.cellsize, " m)");
        if (!(t > f.times_s.back()))
            fail("depth rasters must come in time order: t = ", t, " s after t = ", f.times_s.back(), " s");
    }
    std::vector<float> d(g.values.size());
    for (size_t i = 0; i < d.size(); ++i)
        d[i] = g.is_nodata(g.values[i]) || !(g.values[i] > 0) ? 0.0f : float(g.values[i]);
    f.times_s.push_back(t);
    f.depth_m.push_back(std::move(d));
}

DepthFrames read_depth_folder(const std::string& folder, double interval_s) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) fail("'", folder, "' is not a folder of depth rasters");
    static const std::regex ours(R"(^depth_0*([0-9]+(\.[0-9]+)?)s\.asc$)");
    static const std::regex numbered(R"(^.*?([0-9]+)\.(wd|asc)$)");
    std::map<double, fs::path> files;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
        if (!e.is_regular_file()) continue;
        const std::string name = e.path().filename().string();
        std::smatch m;
        double t = 0;
        if (std::regex_match(name, m, ours)) {
            t = seconds_of(m[1].str(), name);
        } else if (std::regex_match(name, m, numbered)) {
            if (!(interval_s > 0 && std::isfinite(interval_s)))
                fail("'", name,
                     "' is numbered (like LISFLOOD-FP's outputs): give the seconds between two numbers "
                     "(the model's output interval)");
            t = seconds_of(m[1].str(), name) * interval_s;
            if (!(t <= 1e12)) fail("'", name, "': its number times ", interval_s, " s is no time of a flood");
        } else {
            continue;
        }
        if (!files.emplace(t, e.path()).second)
            fail("'", name, "' and '", files[t].filename().string(), "' are both for t = ", t, " s");
    }
    if (files.empty())
        fail("no depth rasters in '", folder,
             "' (expected depth_<seconds>s.asc or numbered .wd/.asc ESRI ASCII grids)");
    DepthFrames f;
    for (const auto& [t, path] : files)
        add_frame(f, t, read_ascii_grid(path.string()));
    return f;
}

std::vector<uint8_t> encode_frames(const DepthFrames& f) {
    const size_t n = size_t(f.ncols) * f.nrows;
    const bool with_velocity = !f.velocity_ms.empty();
    if (with_velocity && f.velocity_ms.size() != f.depth_m.size())
        fail("depth frames: ", f.velocity_ms.size(), " velocity frames for ", f.depth_m.size(),
             " depth frames");
    std::vector<std::vector<uint8_t>> blobs;  // per frame: depths, then velocities
    std::vector<uint16_t> q(n);
    std::vector<int16_t> qv(2 * n);
    json header = {{"ncols", f.ncols},         {"nrows", f.nrows},       {"xllcorner", f.xllcorner},
                   {"yllcorner", f.yllcorner}, {"cellsize", f.cellsize}, {"unit_m", unit_m},
                   {"times_s", f.times_s},     {"frames", json::array()}};
    if (with_velocity) header["velocity_unit_m_s"] = velocity_unit;
    uint64_t offset = 0;
    for (size_t k = 0; k < f.depth_m.size(); ++k) {
        const std::vector<float>& d = f.depth_m[k];
        for (size_t i = 0; i < n; ++i)
            q[i] = uint16_t(std::clamp(std::lround(double(d[i]) / unit_m), 0L, 65535L));
        // Little-endian on every machine this runs on (x86-64, arm64).
        blobs.push_back(compress(q.data(), n * 2, "a depth frame"));
        json entry = {{"offset", offset}, {"bytes", blobs.back().size()}};
        offset += blobs.back().size();
        if (with_velocity) {
            const std::vector<float>& v = f.velocity_ms[k];
            if (v.size() != 2 * n)
                fail("depth frames: velocity frame ", k, " has ", v.size(), " values, not ", 2 * n);
            for (size_t i = 0; i < 2 * n; ++i)
                qv[i] = int16_t(std::clamp(std::lround(double(v[i]) / velocity_unit), -32767L, 32767L));
            blobs.push_back(compress(qv.data(), n * 4, "a velocity frame"));
            entry["velocity_offset"] = offset;
            entry["velocity_bytes"] = blobs.back().size();
            offset += blobs.back().size();
        }
        header["frames"].push_back(entry);
    }
    const std::string h = header.dump();
    std::vector<uint8_t> out(magic, magic + 8);
    put_u32(out, uint32_t(h.size()));
    out.insert(out.end(), h.begin(), h.end());
    for (const auto& b : blobs)
        out.insert(out.end(), b.begin(), b.end());
    return out;
}

DepthFrames decode_frames(const std::vector<uint8_t>& bytes, const std::string& name) {
    auto bad = [&](const std::string& why) -> void { fail("depth frames '", name, "' are damaged: ", why); };
    if (bytes.size() < 12 || std::memcmp(bytes.data(), magic, 8) != 0) bad("they do not start with ZWFLOOD1");
    uint32_t hlen = 0;
    for (int i = 0; i < 4; ++i)
        hlen |= uint32_t(bytes[8 + size_t(i)]) << (8 * i);
    if (hlen > bytes.size() - 12) bad("the header is cut off");
    const std::string_view header_text(reinterpret_cast<const char*>(bytes.data()) + 12, hlen);
    if (core::json_nesting_depth(header_text) > core::max_json_depth) bad("the header nests too deep");
    const json h = json::parse(header_text, nullptr, false);
    if (h.is_discarded() || !h.is_object()) bad("the header is not JSON");
    // Every field is checked for its type and range before it is converted: a float or a
    // negative number must not reach an unsigned conversion.
    auto field = [&](const char* key) -> const json& {
        const auto it = h.find(key);
        if (it == h.end()) bad(std::string("the header lacks '") + key + "'");
        return *it;
    };
    auto whole = [&](const json& v, const std::string& what, uint64_t max) {
        if (!v.is_number_unsigned() || v.get<uint64_t>() > max)
            bad(what + " must be a whole number from 0 to " + std::to_string(max));
        return v.get<uint64_t>();
    };
    auto real = [&](const json& v, const std::string& what, double lo, double hi) {
        if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi))
            bad(what + " must be a number from " + core::number_text(lo) + " to " + core::number_text(hi));
        return v.get<double>();
    };
    auto optional_real = [&](const char* key, double fallback, double lo, double hi) {
        const auto it = h.find(key);
        return it == h.end() ? fallback : real(*it, key, lo, hi);
    };
    DepthFrames f;
    f.ncols = uint32_t(whole(field("ncols"), "ncols", max_cells));
    f.nrows = uint32_t(whole(field("nrows"), "nrows", max_cells));
    f.xllcorner =
        real(field("xllcorner"), "xllcorner", -max_ascii_grid_coordinate, max_ascii_grid_coordinate);
    f.yllcorner =
        real(field("yllcorner"), "yllcorner", -max_ascii_grid_coordinate, max_ascii_grid_coordinate);
    f.cellsize = real(field("cellsize"), "cellsize", 0, max_ascii_grid_coordinate);
    if (!(f.cellsize > 0)) bad("cellsize must be above 0");
    const json& times = field("times_s");
    if (!times.is_array()) bad("times_s must be an array");
    for (size_t k = 0; k < times.size(); ++k)
        f.times_s.push_back(real(times[k], "times_s[" + std::to_string(k) + "]", -1e12, 1e12));
    // A unit above 1 m (or 100 m/s) is no quantisation step of depths or velocities.
    const double unit = optional_real("unit_m", unit_m, 0, 1);
    const double vunit = optional_real("velocity_unit_m_s", velocity_unit, 0, 100);
    if (!(unit > 0) || !(vunit > 0)) bad("unit_m and velocity_unit_m_s must be above 0");
    const uint64_t n = uint64_t(f.ncols) * f.nrows;
    if (n == 0 || n > max_cells) bad("the grid size is out of range");
    const json& frames = h.contains("frames") ? h["frames"] : json::array();
    if (!frames.is_array() || frames.size() != f.times_s.size()) bad("times and frames do not match");
    const bool with_velocity =
        !frames.empty() && frames[0].is_object() && frames[0].contains("velocity_bytes");
    // What the frames decode to: at most max_decoded_bytes, so that a small file cannot ask
    // for gigabytes (blocks may not overlap either, below).
    if (double(frames.size()) * double(n) * (with_velocity ? 12.0 : 4.0) > double(max_decoded_bytes))
        bad(std::to_string(frames.size()) + " frames of " + std::to_string(n) +
            " cells decode to more than " + std::to_string(max_decoded_bytes >> 20) + " MiB");
    const size_t data = 12 + hlen;
    const uint64_t payload = bytes.size() - data;
    // zlib packs at most ~1,032 bytes into one: a grid that cannot fit is refused before
    // memory is taken for it.
    if (!frames.empty() && double(n) * 2 > 1100.0 * double(payload) + 1024)
        bad("the file is too small to hold frames of " + std::to_string(n) + " cells");
    uint64_t next_free = 0;  // blocks come one after another, as encode_frames writes them
    // One zlib block of `want` bytes at the entry's offset_key/bytes_key into `out`.
    auto block = [&](const json& entry, const char* offset_key, const char* bytes_key, void* out,
                     uint64_t want, const std::string& what) {
        const auto o = entry.find(offset_key), l = entry.find(bytes_key);
        if (o == entry.end() || l == entry.end())
            bad(what + " lacks '" + offset_key + "' or '" + bytes_key + "'");
        const uint64_t off = whole(*o, what + " " + offset_key, payload);
        const uint64_t len = whole(*l, what + " " + bytes_key, payload);
        if (len > payload - off) bad(what + " is cut off");
        if (off < next_free) bad(what + " overlaps the block before it");
        next_free = off + len;
        uLongf out_len = uLongf(want);
        if (uncompress(static_cast<Bytef*>(out), &out_len, bytes.data() + data + off, uLong(len)) != Z_OK ||
            out_len != want)
            bad(what + " does not decompress to " + std::to_string(n) + " cells");
    };
    std::vector<uint16_t> q(n);
    std::vector<int16_t> qv(with_velocity ? 2 * n : 0);
    for (size_t k = 0; k < frames.size(); ++k) {
        if (!frames[k].is_object()) bad("frame " + std::to_string(k) + " is not an object");
        block(frames[k], "offset", "bytes", q.data(), n * 2, "frame " + std::to_string(k));
        std::vector<float> d(n);
        for (size_t i = 0; i < n; ++i)
            d[i] = float(q[i] * unit);
        f.depth_m.push_back(std::move(d));
        if (with_velocity != frames[k].contains("velocity_bytes"))
            bad("frame " + std::to_string(k) + (with_velocity ? " lacks" : " alone has") + " velocities");
        if (!with_velocity) continue;
        block(frames[k], "velocity_offset", "velocity_bytes", qv.data(), n * 4,
              "the velocities of frame " + std::to_string(k));
        std::vector<float> v(2 * n);
        for (size_t i = 0; i < 2 * n; ++i)
            v[i] = float(qv[i] * vunit);
        f.velocity_ms.push_back(std::move(v));
    }
    for (size_t k = 1; k < f.times_s.size(); ++k)
        if (!(f.times_s[k] > f.times_s[k - 1])) bad("the times do not grow");
    return f;
}

}  // namespace zw::scenario
