// The reader of trajectories.zwt (engine/scenario/traffic/trajectories.h): header, vehicle
// table and chunk index at open, chunks on demand. Every number read from the file is
// checked before it sizes an allocation or indexes an array.
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string_view>
#include <unordered_set>

#include "engine/core/error.h"
#include "engine/scenario/traffic/trajectories.h"
#include "engine/scenario/traffic/trajectory_format.h"

namespace zw::scenario::traffic {

using namespace format;

struct TrajectoryReader::Impl {
    struct Track {  // a vehicle's decoder state inside the chunk read `stamp`
        uint64_t stamp = 0;
        uint32_t seen = 0;
        int64_t x[2]{}, y[2]{}, z[2]{};
        uint16_t angle = 0, speed = 0;
    };

    std::string path;
    std::ifstream in;
    uint64_t file_bytes = 0;
    glm::dvec3 origin{};
    double chunk_length_s = default_chunk_length_s, sample_step_s = 0, begin_s = 0, end_s = 0;
    std::vector<VehicleInfo> vehicles;
    std::vector<ChunkInfo> index;
    size_t cache_size = 4;
    std::vector<std::pair<size_t, std::shared_ptr<const Chunk>>> cache;  // most recently used last
    uint64_t chunk_reads = 0;
    std::vector<Track> tracks;

    template <typename... Args>
    [[noreturn]] void bad(const Args&... args) const {
        fail("trajectories '", path, "' are damaged: ", args...,
             " (bake or export them again; the file cannot be played)");
    }

    void read_at(uint64_t offset, void* out, size_t bytes, const char* what) {
        in.clear();
        in.seekg(std::streamoff(offset));
        in.read(static_cast<char*>(out), std::streamsize(bytes));
        if (!in) bad("cannot read ", what, " at byte ", offset);
    }

    std::vector<uint8_t> inflate(uint64_t offset, uint32_t bytes, uint32_t raw_bytes,
                                 const std::string& what) {
        std::vector<uint8_t> blob(bytes);
        read_at(offset, blob.data(), bytes, what.c_str());
        std::vector<uint8_t> raw(raw_bytes);
        uLongf out_len = raw_bytes;
        if (raw_bytes == 0) return raw;
        if (uncompress(raw.data(), &out_len, blob.data(), bytes) != Z_OK || out_len != raw_bytes)
            bad(what, " does not decompress to its ", raw_bytes, " bytes");
        return raw;
    }

    void read_header();
    void read_vehicle_table(uint64_t offset, uint32_t bytes, uint32_t raw_bytes, uint32_t count);
    std::shared_ptr<const Chunk> decode(size_t k);
};

void TrajectoryReader::Impl::read_header() {
    uint8_t h[header_bytes];
    if (file_bytes < header_bytes)
        bad("the file has ", file_bytes, " bytes, fewer than its ", header_bytes, "-byte header (cut off?)");
    read_at(0, h, header_bytes, "the header");
    if (std::memcmp(h + f_magic, magic, 8) != 0)
        bad("it does not start with ZWTRAJS (not a trajectory bundle?)");
    const auto v = uint32_t(get_le(h + f_version, 4));
    if (v != version)
        fail("trajectories '", path, "' have format version ", v, "; this Zwilling reads version ", version,
             " (update Zwilling, or bake the twin again)");
    if (get_le(h + f_header_bytes, 4) != header_bytes) bad("the header size is not ", header_bytes);
    if (get_le(h + f_file_bytes, 8) != file_bytes)
        bad("the header says the file has ", get_le(h + f_file_bytes, 8), " bytes, but it has ", file_bytes,
            " (cut off or appended to)");
    for (int i = 0; i < 3; ++i) {
        origin[i] = get_f64(h + f_origin + 8 * i);
        if (!(std::abs(origin[i]) <= max_origin_m)) bad("the origin's ", "xyz"[i], " is out of range");
    }
    sample_step_s = get_f64(h + f_sample_step);
    chunk_length_s = get_f64(h + f_chunk_length);
    begin_s = get_f64(h + f_begin);
    end_s = get_f64(h + f_end);
    if (!(chunk_length_s > 0 && chunk_length_s <= max_chunk_length_s))
        bad("the chunk length is out of range");
    if (!(sample_step_s >= 0 && sample_step_s <= 2 * max_time_s)) bad("the sample step is out of range");
    if (!(std::abs(begin_s) <= max_time_s && std::abs(end_s) <= max_time_s && begin_s <= end_s))
        bad("the first and last sample times are out of range or out of order");

    const auto vehicle_count = uint32_t(get_le(h + f_vehicle_count, 4));
    const auto chunk_count = uint32_t(get_le(h + f_chunk_count, 4));
    const uint64_t sample_count = get_le(h + f_sample_count, 8);
    const uint64_t table_offset = get_le(h + f_vehicle_table_offset, 8);
    const auto table_bytes = uint32_t(get_le(h + f_vehicle_table_bytes, 4));
    const auto table_raw = uint32_t(get_le(h + f_vehicle_table_raw_bytes, 4));
    const uint64_t index_offset = get_le(h + f_index_offset, 8);
    const auto index_bytes = uint32_t(get_le(h + f_index_bytes, 4));
    if (vehicle_count > max_vehicles) bad("it claims ", vehicle_count, " vehicles, more than ", max_vehicles);
    if (chunk_count > max_chunks) bad("it claims ", chunk_count, " chunks, more than ", max_chunks);
    auto inside = [&](uint64_t offset, uint64_t bytes) {
        return offset >= header_bytes && offset <= file_bytes && bytes <= file_bytes - offset;
    };
    if (!inside(table_offset, table_bytes)) bad("the vehicle table lies outside the file");
    if (!inside(index_offset, index_bytes)) bad("the chunk index lies outside the file");
    if (table_offset < index_offset + index_bytes && index_offset < table_offset + table_bytes)
        bad("the vehicle table and the chunk index overlap");
    if (uint64_t(index_bytes) != uint64_t(chunk_count) * index_entry_bytes)
        bad("the chunk index has ", index_bytes, " bytes, not ", index_entry_bytes, " for each of ",
            chunk_count, " chunks");
    if (uint64_t(table_raw) < vehicle_count * min_vehicle_entry_bytes ||
        uint64_t(table_raw) > vehicle_count * (min_vehicle_entry_bytes - 1 + max_vehicle_id_bytes) ||
        uint64_t(table_raw) > zlib_max_ratio * table_bytes + 64)
        bad("the vehicle table's size (", table_raw, " bytes from ", table_bytes, ") does not fit ",
            vehicle_count, " vehicles");
    if (chunk_count == 0 && (vehicle_count != 0 || sample_count != 0)) bad("it has vehicles but no chunks");

    std::vector<uint8_t> raw_index(index_bytes);
    read_at(index_offset, raw_index.data(), index_bytes, "the chunk index");
    const uint64_t data_end = std::min(table_offset, index_offset);
    uint64_t next_free = header_bytes, samples = 0;
    index.resize(chunk_count);
    for (uint32_t k = 0; k < chunk_count; ++k) {
        const uint8_t* p = raw_index.data() + size_t(k) * index_entry_bytes;
        ChunkInfo& c = index[k];
        c.t0_s = get_f64(p);
        c.t1_s = get_f64(p + 8);
        c.offset = get_le(p + 16, 8);
        c.bytes = uint32_t(get_le(p + 24, 4));
        c.raw_bytes = uint32_t(get_le(p + 28, 4));
        c.times = uint32_t(get_le(p + 32, 4));
        c.samples = uint32_t(get_le(p + 36, 4));
        if (!(c.t0_s <= c.t1_s) || c.t0_s != (k == 0 ? begin_s : index[k - 1].t1_s))
            bad("chunk ", k, " starts at t = ", c.t0_s, " s, not where the one before ends");
        if (c.offset < next_free || c.offset > data_end || c.bytes > data_end - c.offset)
            bad("chunk ", k, " lies outside the chunk area or overlaps the chunk before it");
        next_free = c.offset + c.bytes;
        if (c.raw_bytes > max_chunk_raw_bytes || c.raw_bytes > zlib_max_ratio * c.bytes + 64)
            bad("chunk ", k, " claims ", c.raw_bytes, " decompressed bytes");
        if (c.times == 0 || (c.times == 1) != (c.t0_s == c.t1_s) ||
            uint64_t(c.times) * min_time_bytes + uint64_t(c.samples) * min_sample_bytes > c.raw_bytes)
            bad("chunk ", k, " claims ", c.times, " sample times and ", c.samples, " samples in ",
                c.raw_bytes, " bytes");
        samples += c.samples;
    }
    if (chunk_count > 0 && index.back().t1_s != end_s)
        bad("the last chunk does not end at the last sample time");
    if (samples != sample_count) bad("the chunks hold ", samples, " samples, the header says ", sample_count);
    read_vehicle_table(table_offset, table_bytes, table_raw, vehicle_count);
}

void TrajectoryReader::Impl::read_vehicle_table(uint64_t offset, uint32_t bytes, uint32_t raw_bytes,
                                                uint32_t count) {
    const std::vector<uint8_t> raw = inflate(offset, bytes, raw_bytes, "the vehicle table");
    vehicles.reserve(count);
    size_t p = 0;
    while (p < raw.size()) {
        const size_t k = vehicles.size();
        if (k == count) bad("the vehicle table holds more than its ", count, " vehicles");
        if (raw.size() - p < 2) bad("vehicle ", k, " is cut off");
        const uint8_t cls = raw[p];
        const size_t len = raw[p + 1];
        p += 2;
        if (cls >= vehicle_class_count) bad("vehicle ", k, " has the unknown class ", int(cls));
        if (len == 0 || raw.size() - p < len + 16) bad("vehicle ", k, "'s id is empty or cut off");
        VehicleInfo v;
        v.cls = VehicleClass(cls);
        v.id.assign(reinterpret_cast<const char*>(raw.data() + p), len);
        v.first_s = get_f64(raw.data() + p + len);
        v.last_s = get_f64(raw.data() + p + len + 8);
        p += len + 16;
        if (!(v.first_s >= begin_s && v.first_s <= v.last_s && v.last_s <= end_s))
            bad("vehicle '", v.id, "' has its first and last sample times out of order or range");
        vehicles.push_back(std::move(v));
    }
    if (vehicles.size() != count) bad("the vehicle table holds ", vehicles.size(), " vehicles, not ", count);
    // Ids point into `vehicles`, which no longer grows.
    std::unordered_set<std::string_view> ids;
    for (const VehicleInfo& v : vehicles)
        if (!ids.insert(v.id).second) bad("the vehicle id '", v.id, "' appears twice");
}

std::shared_ptr<const Chunk> TrajectoryReader::Impl::decode(size_t k) {
    const ChunkInfo& c = index[k];
    const std::string what = "chunk " + std::to_string(k);
    const std::vector<uint8_t> raw = inflate(c.offset, c.bytes, c.raw_bytes, what);
    ++chunk_reads;
    Bytes head{raw.data(), raw.data() + raw.size()};
    const uint64_t n_times = head.varint(), n_samples = head.varint();
    if (!head.ok || n_times != c.times || n_samples != c.samples)
        bad(what, " holds other counts than the index says");
    uint64_t sec_len[sections], total = 0;
    for (uint64_t& n : sec_len) {
        n = head.varint();
        if (!head.ok || n > raw.size()) bad(what, "'s section sizes are damaged");
        total += n;
    }
    if (uint64_t(head.end - head.p) != n_times * 8 + total) bad(what, "'s sections do not fill it");
    auto chunk = std::make_shared<Chunk>();
    chunk->times_s.resize(n_times);
    for (double& t : chunk->times_s)
        t = head.f64();
    for (size_t i = 0; i < n_times; ++i)
        if (!(i == 0 ? chunk->times_s[i] == c.t0_s : chunk->times_s[i] > chunk->times_s[i - 1]))
            bad(what, "'s sample times do not grow from its start");
    if (chunk->times_s.back() != c.t1_s) bad(what, "'s last sample time is not its end");
    Bytes sec[sections];
    const uint8_t* p = head.p;
    for (int i = 0; i < sections; ++i) {
        sec[i] = Bytes{p, p + sec_len[i]};
        p += sec_len[i];
    }
    chunk->first.resize(n_times + 1);
    chunk->samples.resize(n_samples);
    if (tracks.size() != vehicles.size()) tracks.assign(vehicles.size(), Track{});
    const uint64_t stamp = chunk_reads;
    // Residuals within 2^34 keep the predicted sum far from int64 overflow; the result must
    // fit int32 (cm) anyway.
    auto coordinate = [&](Bytes& b, uint32_t seen, int64_t* h) {
        const int64_t r = unzigzag(b.varint());
        if (!(r >= -(int64_t(1) << 34) && r <= (int64_t(1) << 34)))
            bad(what, " holds a position out of range");
        const int64_t v = predict(seen, h[0], h[1]) + r;
        if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
            bad(what, " holds a position out of range");
        h[0] = h[1];
        h[1] = v;
        return int32_t(v);
    };
    uint64_t s = 0;
    for (size_t i = 0; i < n_times; ++i) {
        const uint64_t count = sec[0].varint();
        if (!sec[0].ok || count > n_samples - s) bad(what, "'s sample counts exceed its samples");
        chunk->first[i] = uint32_t(s);
        const double t = chunk->times_s[i];
        uint64_t prev = 0;
        for (uint64_t j = 0; j < count; ++j, ++s) {
            const uint64_t d = sec[1].varint();
            const uint64_t v = j == 0 ? d : prev + d;
            if (!sec[1].ok || (j > 0 && d == 0) || d >= vehicles.size() || v >= vehicles.size())
                bad(what, " names a vehicle out of range, or one twice at t = ", t, " s");
            prev = v;
            const VehicleInfo& info = vehicles[v];
            if (t < info.first_s || t > info.last_s)
                bad(what, " has vehicle '", info.id, "' at t = ", t, " s, outside its first and last sample");
            Track& tr = tracks[v];
            if (tr.stamp != stamp) tr = Track{stamp};
            Sample& out = chunk->samples[s];
            out.vehicle = uint32_t(v);
            out.x_cm = coordinate(sec[2], tr.seen, tr.x);
            out.y_cm = coordinate(sec[3], tr.seen, tr.y);
            out.z_cm = coordinate(sec[4], tr.seen, tr.z);
            const int64_t a = unzigzag(sec[5].varint()), sp = unzigzag(sec[6].varint());
            const int64_t speed = tr.seen ? tr.speed + sp : sp;
            if (tr.seen ? (a < -32768 || a > 32767) : (a < 0 || a > 65535))
                bad(what, " holds a heading out of range");
            if (speed < 0 || speed > 65535) bad(what, " holds a speed out of range");
            out.angle = tr.seen ? uint16_t(tr.angle + a) : uint16_t(a);
            out.speed_cms = uint16_t(speed);
            tr.angle = out.angle;
            tr.speed = out.speed_cms;
            tr.seen = std::min<uint32_t>(tr.seen + 1, 2);
        }
    }
    chunk->first[n_times] = uint32_t(s);
    if (s != n_samples) bad(what, "'s sample counts do not add up to its samples");
    for (const Bytes& b : sec)
        if (!b.done()) bad(what, "'s sections are damaged or longer than their samples");
    index_chunk(*chunk);
    return chunk;
}

TrajectoryReader::TrajectoryReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TrajectoryReader::~TrajectoryReader() = default;
TrajectoryReader::TrajectoryReader(TrajectoryReader&&) noexcept = default;
TrajectoryReader& TrajectoryReader::operator=(TrajectoryReader&&) noexcept = default;

TrajectoryReader TrajectoryReader::open(const std::string& path, size_t cache_chunks) {
    auto m = std::make_unique<Impl>();
    m->path = path;
    m->cache_size = std::max<size_t>(cache_chunks, 1);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        fail("trajectories '", path, "' is a folder, not a .zwt file");
    m->in.open(path, std::ios::binary);
    if (!m->in)
        fail("cannot open trajectories '", path, "': ", std::strerror(errno), " (is the path right?)");
    m->in.seekg(0, std::ios::end);
    const std::streamoff size = m->in.tellg();
    if (size < 0) fail("cannot read trajectories '", path, "'");
    m->file_bytes = uint64_t(size);
    m->read_header();
    return TrajectoryReader(std::move(m));
}

const glm::dvec3& TrajectoryReader::origin() const {
    return impl_->origin;
}
double TrajectoryReader::chunk_length_s() const {
    return impl_->chunk_length_s;
}
double TrajectoryReader::sample_step_s() const {
    return impl_->sample_step_s;
}
double TrajectoryReader::begin_s() const {
    return impl_->begin_s;
}
double TrajectoryReader::end_s() const {
    return impl_->end_s;
}
const std::vector<VehicleInfo>& TrajectoryReader::vehicles() const {
    return impl_->vehicles;
}
const std::vector<ChunkInfo>& TrajectoryReader::chunks() const {
    return impl_->index;
}
uint64_t TrajectoryReader::chunk_reads() const {
    return impl_->chunk_reads;
}

std::shared_ptr<const Chunk> TrajectoryReader::chunk(size_t k) {
    Impl& m = *impl_;
    if (k >= m.index.size())
        fail("trajectories '", m.path, "': chunk ", k, " asked for, but there are ", m.index.size());
    for (size_t i = 0; i < m.cache.size(); ++i)
        if (m.cache[i].first == k) {
            std::rotate(m.cache.begin() + std::ptrdiff_t(i), m.cache.begin() + std::ptrdiff_t(i) + 1,
                        m.cache.end());
            return m.cache.back().second;
        }
    std::shared_ptr<const Chunk> c = m.decode(k);
    if (m.cache.size() >= m.cache_size) m.cache.erase(m.cache.begin());
    m.cache.emplace_back(k, c);
    return c;
}

size_t chunk_at(const std::vector<ChunkInfo>& index, double t) {
    if (std::isnan(t)) return index.size();
    return size_t(std::lower_bound(index.begin(), index.end(), t,
                                   [](const ChunkInfo& c, double x) { return c.t1_s < x; }) -
                  index.begin());
}

void states_in_chunk(const Chunk& c, double t, std::vector<VehicleState>& out) {
    out.clear();
    const std::vector<double>& times = c.times_s;
    if (times.empty() || !(t >= times.front() && t <= times.back())) return;
    const size_t i = size_t(std::upper_bound(times.begin(), times.end(), t) - times.begin()) - 1;
    const Sample* s = c.samples.data();
    if (times[i] == t) {
        for (uint32_t j = c.first[i]; j < c.first[i + 1]; ++j)
            out.push_back(sample_state(s[j]));
        return;
    }
    const double w = (t - times[i]) / (times[i + 1] - times[i]);
    uint32_t a = c.first[i], b = c.first[i + 1];
    const uint32_t a_end = c.first[i + 1], b_end = c.first[i + 2];
    while (a < a_end && b < b_end) {  // both ascending by vehicle
        if (s[a].vehicle < s[b].vehicle) {
            ++a;
        } else if (s[b].vehicle < s[a].vehicle) {
            ++b;
        } else {
            out.push_back(sample_between(s[a], s[b], w));
            ++a, ++b;
        }
    }
}

void TrajectoryReader::state_at(double t, std::vector<VehicleState>& out) {
    out.clear();
    const Impl& m = *impl_;
    if (m.index.empty() || !(t >= m.begin_s && t <= m.end_s)) return;
    states_in_chunk(*chunk(chunk_at(m.index, t)), t, out);
}

std::vector<VehicleState> TrajectoryReader::state_at(double t) {
    std::vector<VehicleState> out;
    state_at(t, out);
    return out;
}

size_t TrajectoryReader::state_in_view(double t, const CellVisible& visible, std::vector<VehicleState>& out) {
    out.clear();
    const Impl& m = *impl_;
    if (m.index.empty() || !(t >= m.begin_s && t <= m.end_s)) return 0;
    const std::shared_ptr<const Chunk> c = chunk(chunk_at(m.index, t));
    states_in_chunk_view(*c, t, visible, out);
    return present_in_chunk(*c, t);
}

}  // namespace zw::scenario::traffic
