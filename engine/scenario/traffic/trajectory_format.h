// Internal to engine/scenario/traffic: the byte layout of trajectories.zwt that the writer
// and the reader share (docs/traffic-bundle.md), little-endian integers, varints and the
// position predictor. Not a public header.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "engine/scenario/traffic/trajectories.h"

namespace zw::scenario::traffic::format {

inline constexpr char magic[8] = {'Z', 'W', 'T', 'R', 'A', 'J', 'S', '\0'};
inline constexpr uint32_t version = 1;
inline constexpr uint32_t header_bytes = 128;
inline constexpr uint32_t index_entry_bytes = 40;
// A vehicle table entry: class, id length, at least one byte of id, first and last time.
inline constexpr uint64_t min_vehicle_entry_bytes = 1 + 1 + 1 + 16;
// Raw chunk sections after the times: counts per time, vehicle indices, x, y, z, angle, speed.
inline constexpr int sections = 7;
// What a sample time and a sample take at least in a raw chunk (an f64 and a count varint;
// six one-byte varints), so that counts are bounded by the bytes present.
inline constexpr uint64_t min_time_bytes = 9, min_sample_bytes = 6;
// zlib packs at most about 1,032 bytes into one: what a block of n bytes can decompress to.
inline constexpr uint64_t zlib_max_ratio = 1032;

// Header field offsets.
enum Field : uint32_t {
    f_magic = 0,
    f_version = 8,
    f_header_bytes = 12,
    f_origin = 16,  // 3 x f64
    f_sample_step = 40,
    f_chunk_length = 48,
    f_begin = 56,
    f_end = 64,
    f_vehicle_count = 72,
    f_chunk_count = 76,
    f_sample_count = 80,
    f_vehicle_table_offset = 88,
    f_vehicle_table_bytes = 96,
    f_vehicle_table_raw_bytes = 100,
    f_index_offset = 104,
    f_index_bytes = 112,
    f_reserved = 116,
    f_file_bytes = 120,
};

inline void put_le(uint8_t* p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        p[i] = uint8_t(v >> (8 * i));
}
inline void put_f64(uint8_t* p, double v) {
    uint64_t u = 0;
    std::memcpy(&u, &v, 8);
    put_le(p, u, 8);
}
inline uint64_t get_le(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= uint64_t(p[i]) << (8 * i);
    return v;
}
inline double get_f64(const uint8_t* p) {
    const uint64_t u = get_le(p, 8);
    double v = 0;
    std::memcpy(&v, &u, 8);
    return v;
}

inline void put_varint(std::vector<uint8_t>& out, uint64_t v) {
    while (v >= 0x80) {
        out.push_back(uint8_t(v | 0x80));
        v >>= 7;
    }
    out.push_back(uint8_t(v));
}
inline uint64_t zigzag(int64_t v) {
    return (uint64_t(v) << 1) ^ uint64_t(v >> 63);
}
inline int64_t unzigzag(uint64_t u) {
    return int64_t(u >> 1) ^ -int64_t(u & 1);
}

// Reads from [p, end); `ok` turns false (and stays) on reading past the end or a varint
// longer than 64 bits.
struct Bytes {
    const uint8_t* p = nullptr;
    const uint8_t* end = nullptr;
    bool ok = true;

    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p == end) break;
            const uint8_t b = *p++;
            if (shift == 63 && b > 1) break;
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
        }
        ok = false;
        return 0;
    }
    double f64() {
        if (end - p < 8) {
            ok = false;
            return 0;
        }
        const double v = get_f64(p);
        p += 8;
        return v;
    }
    bool done() const { return ok && p == end; }
};

// The position predictor of a vehicle inside a chunk: nothing before its first sample there,
// then its last position, then the line through its last two (constant velocity).
inline int64_t predict(uint32_t seen, int64_t before_last, int64_t last) {
    return seen == 0 ? 0 : seen == 1 ? last : 2 * last - before_last;
}

// A stored sample dequantised.
inline VehicleState sample_state(const Sample& s) {
    VehicleState v;
    v.vehicle = s.vehicle;
    v.position = glm::dvec3(s.x_cm, s.y_cm, s.z_cm) * position_unit_m;
    v.angle_deg = s.angle * angle_unit_deg;
    v.speed_ms = s.speed_cms * speed_unit_ms;
    return v;
}

// Between a and b at w in (0, 1); the heading along the shorter arc.
inline VehicleState sample_between(const Sample& a, const Sample& b, double w) {
    VehicleState v;
    v.vehicle = a.vehicle;
    const glm::dvec3 pa(a.x_cm, a.y_cm, a.z_cm), pb(b.x_cm, b.y_cm, b.z_cm);
    v.position = (pa + w * (pb - pa)) * position_unit_m;
    const auto turn = int16_t(uint16_t(b.angle - a.angle));  // -32768 .. 32767 steps
    double angle = (a.angle + w * turn) * angle_unit_deg;
    angle -= 360.0 * std::floor(angle / 360.0);
    v.angle_deg = angle >= 360.0 ? 0.0 : angle;
    v.speed_ms = (a.speed_cms + w * (int(b.speed_cms) - int(a.speed_cms))) * speed_unit_ms;
    return v;
}

}  // namespace zw::scenario::traffic::format
