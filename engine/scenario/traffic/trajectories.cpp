// The vehicle classes and the writer of trajectories.zwt; the reader is in
// trajectory_reader.cpp, the shared layout in trajectory_format.h.
#include "engine/scenario/traffic/trajectories.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/scenario/traffic/trajectory_format.h"

namespace zw::scenario::traffic {
namespace {

using namespace format;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

bool has(const std::string& s, std::string_view word) {
    return s.find(word) != std::string::npos;
}

// The first multiple of `length` above t.
double boundary_after(double t, double length) {
    double b = (std::floor(t / length) + 1) * length;
    while (b <= t)
        b += length;
    return b;
}

struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

const char* vehicle_class_name(VehicleClass c) {
    switch (c) {
        case VehicleClass::car:
            return "car";
        case VehicleClass::van:
            return "van";
        case VehicleClass::truck:
            return "truck";
        case VehicleClass::bus:
            return "bus";
        case VehicleClass::fire_engine:
            return "fire_engine";
        case VehicleClass::other:
            break;
    }
    return "other";
}

VehicleClass vehicle_class_of(std::string_view vtype_id, std::string_view vclass) {
    const std::string id = lower(vtype_id), cls = lower(vclass);
    if (has(id, "fire") || has(id, "feuerwehr") || has(cls, "fire")) return VehicleClass::fire_engine;
    if (cls == "emergency") return VehicleClass::fire_engine;
    if (cls == "passenger" || cls == "private" || cls == "taxi" || cls == "evehicle")
        return VehicleClass::car;
    if (cls == "delivery") return VehicleClass::van;
    if (cls == "truck" || cls == "trailer") return VehicleClass::truck;
    if (cls == "bus" || cls == "coach") return VehicleClass::bus;
    if (has(id, "emergency")) return VehicleClass::fire_engine;
    if (has(id, "bus") || has(id, "coach")) return VehicleClass::bus;
    if (has(id, "truck") || has(id, "trailer") || has(id, "lkw")) return VehicleClass::truck;
    if (has(id, "delivery") || has(id, "van") || has(id, "transporter")) return VehicleClass::van;
    if (has(id, "passenger") || has(id, "car") || has(id, "pkw") || has(id, "taxi") ||
        id == "default_vehtype")
        return VehicleClass::car;
    return VehicleClass::other;
}

struct TrajectoryWriter::Impl {
    struct Track {  // a vehicle's encoder state inside the chunk `chunk`
        uint64_t chunk = ~uint64_t(0);
        uint32_t seen = 0;
        int64_t x[2]{}, y[2]{}, z[2]{};
        uint16_t angle = 0, speed = 0;
    };

    std::string path, tmp;
    std::ofstream out;
    glm::dvec3 origin{};
    double chunk_length_s = default_chunk_length_s;
    bool finished = false, in_step = false, any_step = false;
    double step_time = 0, first_time = 0, chunk_end = 0;
    double min_step = std::numeric_limits<double>::infinity();
    uint64_t offset = header_bytes;
    std::vector<Sample> step;
    std::vector<double> chunk_times;
    std::vector<uint32_t> chunk_counts;
    std::vector<Sample> chunk_samples;
    std::vector<VehicleInfo> vehicles;
    std::unordered_map<std::string, uint32_t, TransparentHash, std::equal_to<>> ids;
    std::vector<ChunkInfo> index;
    std::vector<Track> tracks;
    uint64_t total_samples = 0;  // in chunks, repeated samples included
    Stats stats;

    void write(const void* data, size_t bytes) {
        out.write(static_cast<const char*>(data), std::streamsize(bytes));
        if (!out) fail("cannot write trajectories '", path, "': disk full or not writable");
        offset += bytes;
    }

    std::vector<uint8_t> compress(const std::vector<uint8_t>& raw, const char* what) {
        uLongf size = compressBound(uLong(raw.size()));
        std::vector<uint8_t> blob(size);
        if (compress2(blob.data(), &size, raw.data(), uLong(raw.size()), 6) != Z_OK)
            fail("cannot compress ", what, " of trajectories '", path, "' (out of memory?)");
        blob.resize(size);
        return blob;
    }

    void start_chunk_with_step() {
        chunk_times.assign(1, step_time);
        chunk_counts.assign(1, uint32_t(step.size()));
        chunk_samples.assign(step.begin(), step.end());
        chunk_end = boundary_after(step_time, chunk_length_s);
    }

    void end_step() {
        in_step = false;
        std::sort(step.begin(), step.end(),
                  [](const Sample& a, const Sample& b) { return a.vehicle < b.vehicle; });
        for (size_t i = 1; i < step.size(); ++i)
            if (step[i].vehicle == step[i - 1].vehicle)
                fail("trajectories '", path, "': vehicle '", vehicles[step[i].vehicle].id,
                     "' appears twice at t = ", step_time, " s");
        if (chunk_times.empty()) {
            start_chunk_with_step();
            return;
        }
        chunk_times.push_back(step_time);
        chunk_counts.push_back(uint32_t(step.size()));
        chunk_samples.insert(chunk_samples.end(), step.begin(), step.end());
        if (step_time >= chunk_end) {
            // This time closes the chunk and opens the next one: both hold it.
            flush_chunk();
            start_chunk_with_step();
        }
    }

    void flush_chunk() {
        const uint64_t chunk_no = index.size();
        if (chunk_no >= max_chunks)
            fail("trajectories '", path, "': more than ", max_chunks, " chunks (use longer chunks)");
        std::vector<uint8_t> sec[sections];
        size_t s = 0;
        for (size_t i = 0; i < chunk_times.size(); ++i) {
            put_varint(sec[0], chunk_counts[i]);
            uint32_t prev = 0;
            for (uint32_t j = 0; j < chunk_counts[i]; ++j, ++s) {
                const Sample& x = chunk_samples[s];
                put_varint(sec[1], j == 0 ? x.vehicle : x.vehicle - prev);
                prev = x.vehicle;
                Track& tr = tracks[x.vehicle];
                if (tr.chunk != chunk_no) tr = Track{chunk_no};
                put_varint(sec[2], zigzag(x.x_cm - predict(tr.seen, tr.x[0], tr.x[1])));
                put_varint(sec[3], zigzag(x.y_cm - predict(tr.seen, tr.y[0], tr.y[1])));
                put_varint(sec[4], zigzag(x.z_cm - predict(tr.seen, tr.z[0], tr.z[1])));
                // Headings turn by little between samples, across north too (int16 wraps).
                put_varint(sec[5], zigzag(tr.seen ? int16_t(uint16_t(x.angle - tr.angle)) : x.angle));
                put_varint(sec[6], zigzag(tr.seen ? int64_t(x.speed_cms) - tr.speed : x.speed_cms));
                tr.x[0] = tr.x[1], tr.y[0] = tr.y[1], tr.z[0] = tr.z[1];
                tr.x[1] = x.x_cm, tr.y[1] = x.y_cm, tr.z[1] = x.z_cm;
                tr.angle = x.angle, tr.speed = x.speed_cms;
                tr.seen = std::min<uint32_t>(tr.seen + 1, 2);
            }
        }
        std::vector<uint8_t> raw;
        put_varint(raw, chunk_times.size());
        put_varint(raw, chunk_samples.size());
        for (const auto& v : sec)
            put_varint(raw, v.size());
        for (double t : chunk_times) {
            uint8_t b[8];
            put_f64(b, t);
            raw.insert(raw.end(), b, b + 8);
        }
        for (const auto& v : sec)
            raw.insert(raw.end(), v.begin(), v.end());
        if (raw.size() > max_chunk_raw_bytes)
            fail("trajectories '", path, "': the chunk from t = ", chunk_times.front(), " s holds ",
                 chunk_samples.size(), " samples, more than a chunk may (use shorter chunks)");
        const std::vector<uint8_t> blob = compress(raw, "a chunk");
        ChunkInfo info;
        info.t0_s = chunk_times.front();
        info.t1_s = chunk_times.back();
        info.offset = offset;
        info.bytes = uint32_t(blob.size());
        info.raw_bytes = uint32_t(raw.size());
        info.times = uint32_t(chunk_times.size());
        info.samples = uint32_t(chunk_samples.size());
        write(blob.data(), blob.size());
        index.push_back(info);
        total_samples += chunk_samples.size();
        chunk_times.clear();
        chunk_counts.clear();
        chunk_samples.clear();
    }
};

TrajectoryWriter::TrajectoryWriter(std::string path, const glm::dvec3& origin, double chunk_length_s)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.path = std::move(path);
    m.tmp = m.path + ".tmp";
    for (int i = 0; i < 3; ++i)
        if (!(std::abs(origin[i]) <= max_origin_m))
            fail("trajectories '", m.path, "': the origin's ", "xyz"[i], " = ", origin[i],
                 " is not a coordinate in metres (at most 1e8)");
    if (!(chunk_length_s > 0 && chunk_length_s <= max_chunk_length_s))
        fail("trajectories '", m.path, "': the chunk length ", chunk_length_s,
             " s must lie above 0 and at most ", max_chunk_length_s, " s");
    m.origin = origin;
    m.chunk_length_s = chunk_length_s;
    m.out.open(m.tmp, std::ios::binary | std::ios::trunc);
    if (!m.out) fail("cannot write '", m.tmp, "': ", std::strerror(errno), " (does the folder exist?)");
    const uint8_t zero[header_bytes] = {};
    m.out.write(reinterpret_cast<const char*>(zero), header_bytes);  // the header, written last
    if (!m.out) fail("cannot write '", m.tmp, "': disk full or not writable");
}

TrajectoryWriter::~TrajectoryWriter() {
    if (!impl_ || impl_->finished) return;
    impl_->out.close();
    std::error_code ec;
    std::filesystem::remove(impl_->tmp, ec);
}

const TrajectoryWriter::Stats& TrajectoryWriter::stats() const {
    return impl_->stats;
}

void TrajectoryWriter::begin_step(double time_s) {
    Impl& m = *impl_;
    if (m.finished) fail("trajectories '", m.path, "': begin_step after finish");
    if (!(std::abs(time_s) <= max_time_s))
        fail("trajectories '", m.path, "': the sample time ", time_s, " s is not a time (at most 1e9 s)");
    if (m.any_step && !(time_s > m.step_time))
        fail("trajectories '", m.path, "': sample times must grow: t = ", time_s,
             " s after t = ", m.step_time, " s");
    if (m.in_step) m.end_step();
    if (m.any_step) m.min_step = std::min(m.min_step, time_s - m.step_time);
    if (!m.any_step) m.first_time = time_s;
    m.any_step = true;
    m.in_step = true;
    m.step_time = time_s;
    m.step.clear();
    ++m.stats.steps;
}

void TrajectoryWriter::add(std::string_view vehicle_id, VehicleClass cls, const glm::dvec3& position,
                           double angle_deg, double speed_ms) {
    Impl& m = *impl_;
    if (!m.in_step) fail("trajectories '", m.path, "': a vehicle sample before the first begin_step");
    if (vehicle_id.empty() || vehicle_id.size() > max_vehicle_id_bytes)
        fail("trajectories '", m.path, "': the vehicle id '", vehicle_id.substr(0, 64),
             "' at t = ", m.step_time, " s must have 1 to ", max_vehicle_id_bytes, " bytes");
    if (uint8_t(cls) >= vehicle_class_count) fail("trajectories '", m.path, "': unknown vehicle class");
    Sample s;
    int32_t q[3];
    for (int i = 0; i < 3; ++i) {
        const double v = std::round((position[i] - m.origin[i]) / position_unit_m);
        if (!(std::abs(v) <= double(std::numeric_limits<int32_t>::max())))
            fail("trajectories '", m.path, "': vehicle '", vehicle_id, "' at t = ", m.step_time, " s: its ",
                 "xyz"[i], " = ", position[i], " lies more than 21,474 km from the origin ", m.origin[i],
                 " or is not a number (are the origin and the net offset right?)");
        q[i] = int32_t(v);
    }
    if (!std::isfinite(angle_deg) || !std::isfinite(speed_ms))
        fail("trajectories '", m.path, "': vehicle '", vehicle_id, "' at t = ", m.step_time,
             " s has an angle or speed that is not a number");
    // Registered only once its values are known to be good.
    auto it = m.ids.find(vehicle_id);
    if (it == m.ids.end()) {
        if (m.vehicles.size() >= max_vehicles)
            fail("trajectories '", m.path, "': more than ", max_vehicles, " vehicles");
        s.vehicle = uint32_t(m.vehicles.size());
        m.ids.emplace(std::string(vehicle_id), s.vehicle);
        m.vehicles.push_back({std::string(vehicle_id), cls, m.step_time, m.step_time});
        m.tracks.emplace_back();
    } else {
        s.vehicle = it->second;
    }
    s.x_cm = q[0], s.y_cm = q[1], s.z_cm = q[2];
    const double turns = angle_deg / 360.0 - std::floor(angle_deg / 360.0);  // [0, 1]
    s.angle = uint16_t(uint32_t(std::lround(turns * 65536.0)) & 0xffff);
    s.speed_cms = uint16_t(std::clamp(std::lround(speed_ms / speed_unit_ms), 0L, 65535L));
    VehicleInfo& v = m.vehicles[s.vehicle];
    if (m.step_time > v.last_s) {
        m.stats.vehicle_s += m.step_time - v.last_s;
        v.last_s = m.step_time;
    }
    m.step.push_back(s);
    ++m.stats.samples;
}

void TrajectoryWriter::finish() {
    Impl& m = *impl_;
    if (m.finished) return;
    try {
        if (m.in_step) m.end_step();
        // A lone time left over is the last chunk's end, already written with it.
        if (m.chunk_times.size() > 1 || (m.chunk_times.size() == 1 && m.index.empty())) m.flush_chunk();

        std::vector<uint8_t> table;
        for (const VehicleInfo& v : m.vehicles) {
            table.push_back(uint8_t(v.cls));
            table.push_back(uint8_t(v.id.size()));
            table.insert(table.end(), v.id.begin(), v.id.end());
            uint8_t b[16];
            put_f64(b, v.first_s);
            put_f64(b + 8, v.last_s);
            table.insert(table.end(), b, b + 16);
        }
        const std::vector<uint8_t> table_blob = m.compress(table, "the vehicle table");
        const uint64_t table_offset = m.offset;
        m.write(table_blob.data(), table_blob.size());

        std::vector<uint8_t> index(m.index.size() * index_entry_bytes);
        for (size_t k = 0; k < m.index.size(); ++k) {
            uint8_t* p = index.data() + k * index_entry_bytes;
            const ChunkInfo& c = m.index[k];
            put_f64(p, c.t0_s);
            put_f64(p + 8, c.t1_s);
            put_le(p + 16, c.offset, 8);
            put_le(p + 24, c.bytes, 4);
            put_le(p + 28, c.raw_bytes, 4);
            put_le(p + 32, c.times, 4);
            put_le(p + 36, c.samples, 4);
        }
        const uint64_t index_offset = m.offset;
        m.write(index.data(), index.size());

        uint8_t h[header_bytes] = {};
        std::memcpy(h + f_magic, magic, 8);
        put_le(h + f_version, version, 4);
        put_le(h + f_header_bytes, header_bytes, 4);
        for (int i = 0; i < 3; ++i)
            put_f64(h + f_origin + 8 * i, m.origin[i]);
        put_f64(h + f_sample_step, std::isfinite(m.min_step) ? m.min_step : 0.0);
        put_f64(h + f_chunk_length, m.chunk_length_s);
        put_f64(h + f_begin, m.any_step ? m.first_time : 0.0);
        put_f64(h + f_end, m.any_step ? m.step_time : 0.0);
        put_le(h + f_vehicle_count, m.vehicles.size(), 4);
        put_le(h + f_chunk_count, m.index.size(), 4);
        put_le(h + f_sample_count, m.total_samples, 8);
        put_le(h + f_vehicle_table_offset, table_offset, 8);
        put_le(h + f_vehicle_table_bytes, table_blob.size(), 4);
        put_le(h + f_vehicle_table_raw_bytes, table.size(), 4);
        put_le(h + f_index_offset, index_offset, 8);
        put_le(h + f_index_bytes, index.size(), 4);
        put_le(h + f_file_bytes, m.offset, 8);
        m.out.seekp(0);
        m.out.write(reinterpret_cast<const char*>(h), header_bytes);
        m.out.close();
        if (!m.out) fail("cannot write trajectories '", m.path, "': disk full or not writable");
        std::error_code ec;
        std::filesystem::rename(m.tmp, m.path, ec);
        if (ec) fail("cannot write trajectories '", m.path, "': ", ec.message());
    } catch (...) {
        m.out.close();
        std::error_code ec;
        std::filesystem::remove(m.tmp, ec);
        m.finished = true;
        throw;
    }
    m.finished = true;
    m.stats.vehicles = uint32_t(m.vehicles.size());
    m.stats.chunks = uint32_t(m.index.size());
    m.stats.bytes = m.offset;
}

}  // namespace zw::scenario::traffic
