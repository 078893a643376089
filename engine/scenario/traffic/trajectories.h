// Vehicle trajectories of a traffic run (SUMO's FCD output) as the viewer plays them:
// written sample by sample in time order, stored quantised and zlib-compressed in time
// chunks ("trajectories.zwt"), and read back a chunk at a time, so that the viewer seeks to
// any time without reading the whole run. The byte layout, the quantisation and the limits
// the reader enforces: docs/traffic-bundle.md. Pure code: no Vulkan, no UI.
//
// Positions are EPSG:25832 metres; the file stores them relative to an origin (the twin
// frame's) in whole centimetres. Headings are SUMO's angles (degrees clockwise from north)
// in 65536 steps per turn, speeds whole cm/s. Every chunk holds each sample time from its
// first to its last one inclusive; the last sample time of a chunk is repeated as the first
// of the next, so that interpolating inside a chunk never needs its neighbour.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <glm/vec3.hpp>

namespace zw::scenario::traffic {

// What the viewer draws a vehicle as.
enum class VehicleClass : uint8_t { car, van, truck, bus, fire_engine, other };
inline constexpr uint8_t vehicle_class_count = 6;

// "car", "van", "truck", "bus", "fire_engine", "other".
const char* vehicle_class_name(VehicleClass c);

// The class of a SUMO vehicle type from its id and, where known, its vClass (both compared
// without case): an id or vClass naming fire ("fire_engine", "Feuerwehr") or vClass
// "emergency" is a fire engine; "passenger", "private", "taxi", "evehicle" and SUMO's
// "DEFAULT_VEHTYPE" a car; "delivery" a van; "truck" and "trailer" a truck; "bus" and
// "coach" a bus. A vClass decides before the id; words found inside the id count too
// ("bus_line_201" is a bus, "lkw_40t" a truck). Anything else is `other`. Cheap.
VehicleClass vehicle_class_of(std::string_view vtype_id, std::string_view vclass = {});

// Quantisation steps.
inline constexpr double position_unit_m = 0.01;
inline constexpr double angle_unit_deg = 360.0 / 65536;
inline constexpr double speed_unit_ms = 0.01;  // speeds from 0 to 655.35 m/s
inline constexpr double default_chunk_length_s = 60;

// Limits the reader enforces (a file beyond them is refused, not read), and the writer too.
inline constexpr uint32_t max_vehicles = uint32_t(1) << 22;  // 4,194,304
inline constexpr uint32_t max_chunks = uint32_t(1) << 22;
inline constexpr size_t max_vehicle_id_bytes = 255;
inline constexpr uint32_t max_chunk_raw_bytes = uint32_t(256) << 20;  // decoded chunk
inline constexpr double max_time_s = 1e9;                             // |time|
inline constexpr double max_chunk_length_s = 86400;
inline constexpr double max_origin_m = 1e8;  // |origin| per axis

// One vehicle of the bundle's vehicle table; its index there is its number in samples.
struct VehicleInfo {
    std::string id;  // SUMO's vehicle id
    VehicleClass cls = VehicleClass::other;
    double first_s = 0, last_s = 0;  // its first and last sample time
};

// One entry of the chunk index: the chunk holds every sample time in [t0_s, t1_s].
struct ChunkInfo {
    double t0_s = 0, t1_s = 0;
    uint64_t offset = 0;     // from the start of the file
    uint32_t bytes = 0;      // compressed
    uint32_t raw_bytes = 0;  // decompressed
    uint32_t times = 0;      // sample times in the chunk
    uint32_t samples = 0;    // vehicle samples in the chunk
};

// One stored sample, quantised: position in cm relative to the origin, heading in
// 1/65536 turns clockwise from north, speed in cm/s.
struct Sample {
    uint32_t vehicle = 0;
    int32_t x_cm = 0, y_cm = 0, z_cm = 0;
    uint16_t angle = 0;
    uint16_t speed_cms = 0;
};

// Where a decoded chunk's samples lie, so that a viewer interpolates only the vehicles near
// its view: the per-frame cost follows the vehicles on screen, not all those on the road.
// Per sample time, its samples grouped by square cells of cell_size_m (grid-aligned in the
// bundle's frame), each cell with the box its samples span. Built by index_chunk when a
// chunk is decoded; 8 bytes a sample and 56 a cell.
struct ChunkCells {
    static constexpr uint32_t none = ~uint32_t(0);
    static constexpr double cell_size_m = 128;
    struct Cell {
        glm::dvec3 lo{}, hi{};        // metres of the bundle's frame, the box of its samples
        uint32_t begin = 0, end = 0;  // into `order`
    };
    std::vector<uint32_t> next;         // per sample: the same vehicle's at the next time, or none
    std::vector<uint32_t> order;        // per sample time, its samples cell by cell
    std::vector<Cell> cells;            // per sample time, its non-empty cells
    std::vector<uint32_t> cells_first;  // times + 1 entries into `cells`
    std::vector<float> reach_m;         // per sample time: the farthest a vehicle moves to the next
    std::vector<uint32_t> pairs;        // per sample time: vehicles present at it and the next
    bool built() const { return !cells_first.empty(); }
};

// A decoded chunk: sample time i holds samples[first[i]] .. samples[first[i + 1] - 1],
// ascending by vehicle.
struct Chunk {
    std::vector<double> times_s;  // ascending
    std::vector<uint32_t> first;  // times_s.size() + 1 entries
    std::vector<Sample> samples;
    ChunkCells cells;  // index_chunk; the readers build it when they decode
};

// Whether a box of the bundle's frame (metres, lo <= hi) may be seen: the caller's view test.
using CellVisible = std::function<bool(const glm::dvec3& lo, const glm::dvec3& hi)>;

// A vehicle at some time, dequantised and interpolated.
struct VehicleState {
    uint32_t vehicle = 0;   // index into the vehicle table
    glm::dvec3 position{};  // metres east, north and up of the bundle's origin
    double angle_deg = 0;   // SUMO's heading: clockwise from north, [0, 360)
    double speed_ms = 0;
};

// Writes trajectories.zwt. Fed sample times in ascending order (begin_step), each followed
// by the vehicles present then (add); finish() writes the vehicle table and the chunk index
// and renames "<path>.tmp" to `path`, so that `path` is never half written. Memory: one
// chunk of samples and the vehicle table. After a zw::Error the writer is of no further use:
// drop it (which removes the .tmp file). Not thread-safe.
class TrajectoryWriter {
  public:
    struct Stats {
        uint64_t samples = 0;   // add() calls
        uint64_t steps = 0;     // begin_step() calls
        uint32_t vehicles = 0;  // distinct vehicle ids
        uint32_t chunks = 0;
        uint64_t bytes = 0;    // the file's size, after finish()
        double vehicle_s = 0;  // sum over vehicles of last minus first sample time
    };

    // Opens "<path>.tmp" for writing. `origin` (EPSG:25832 easting, northing, height) is
    // subtracted from every position; `chunk_length_s` (above 0, at most max_chunk_length_s)
    // is the length of a chunk: chunk boundaries lie at whole multiples of it. Throws
    // zw::Error when the file cannot be created or an argument is out of range.
    TrajectoryWriter(std::string path, const glm::dvec3& origin,
                     double chunk_length_s = default_chunk_length_s);
    // Without finish(): removes "<path>.tmp" and leaves `path` as it was.
    ~TrajectoryWriter();
    TrajectoryWriter(const TrajectoryWriter&) = delete;
    TrajectoryWriter& operator=(const TrajectoryWriter&) = delete;

    // Starts the sample time `time_s` (finite, |t| <= max_time_s, above the previous one).
    // Closes the current chunk when the time reaches its end (zlib, one write). Throws
    // zw::Error for a time out of order or range.
    void begin_step(double time_s);
    // One vehicle at the current sample time: `position` in EPSG:25832 metres (absolute),
    // `angle_deg` SUMO's heading (any finite value; taken modulo 360), `speed_ms` (clamped
    // to 0 .. 655.35 m/s). A vehicle's class is fixed by its first sample. Throws zw::Error
    // for a call before begin_step, a vehicle twice at one time, an id that is empty or
    // over max_vehicle_id_bytes, more than max_vehicles vehicles, a value that is not
    // finite or a position over 21,474 km from the origin.
    void add(std::string_view vehicle_id, VehicleClass cls, const glm::dvec3& position, double angle_deg,
             double speed_ms);
    // Writes the last chunk, the vehicle table and the chunk index and renames the file
    // into place. A writer with no sample time writes a valid empty bundle. Throws zw::Error
    // when the disk is full or the rename fails (the .tmp file is then removed).
    void finish();

    const Stats& stats() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Reads trajectories.zwt: open() reads the header, the vehicle table and the chunk index;
// chunks are read and decoded when a time inside them is asked for, and the last few kept.
// Not thread-safe (it keeps a file and a cache): one reader per thread.
class TrajectoryReader {
  public:
    // Opens `path` and checks everything but the chunks' contents: magic, version, sizes,
    // that every offset lies inside the file and every count within the limits above (and
    // within what the bytes present can hold). Throws zw::Error naming the file and the
    // field for anything else ("trajectories 'x.zwt' are damaged: ..."). `cache_chunks`
    // (at least 1) decoded chunks are kept. Costs the size of the vehicle table and index.
    static TrajectoryReader open(const std::string& path, size_t cache_chunks = 4);

    ~TrajectoryReader();
    TrajectoryReader(TrajectoryReader&&) noexcept;
    TrajectoryReader& operator=(TrajectoryReader&&) noexcept;

    const glm::dvec3& origin() const;
    double chunk_length_s() const;
    // The smallest interval between two sample times (0 with fewer than two).
    double sample_step_s() const;
    // The first and last sample time (0, 0 when empty).
    double begin_s() const;
    double end_s() const;
    const std::vector<VehicleInfo>& vehicles() const;
    const std::vector<ChunkInfo>& chunks() const;

    // The vehicles present at time t, ascending by vehicle: at a sample time, those sampled
    // then; between two sample times, those sampled at both, with position and speed linear
    // between the two samples and the heading along the shorter arc (359 to 1 degree passes
    // 0). A vehicle is thus present from its first to its last sample and never
    // extrapolated; one missing at a sample time (a SUMO teleport) is absent from the sample
    // time before to the one after. Outside [begin_s, end_s] or for NaN: none. Reads and
    // decodes the chunk holding t unless it is cached. Throws zw::Error for a damaged chunk.
    void state_at(double t, std::vector<VehicleState>& out);
    std::vector<VehicleState> state_at(double t);
    // Those of them that may be seen (states_in_chunk_view); returns how many are present.
    size_t state_in_view(double t, const CellVisible& visible, std::vector<VehicleState>& out);

    // Chunk k decoded (from the cache, or read now). Throws zw::Error for a damaged chunk
    // (every count, index, time and value is checked) or k out of range.
    std::shared_ptr<const Chunk> chunk(size_t k);

    // How many chunks were read and decoded so far (cache misses).
    uint64_t chunk_reads() const;

  private:
    struct Impl;
    explicit TrajectoryReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The chunk of `index` that holds time t: the first whose t1_s is at or after t, so a time
// on a border (t1 of chunk k = t0 of chunk k + 1) is chunk k's. index.size() for a time
// after the last chunk or NaN. O(log chunks). What TrajectoryReader::state_at reads.
size_t chunk_at(const std::vector<ChunkInfo>& index, double t);

// The vehicles present at time t (as TrajectoryReader::state_at) from the decoded chunk `c`
// that holds t (c.times_s.front() <= t <= c.times_s.back(); otherwise `out` stays empty).
// `out` is cleared first. Pure: O(samples at the two sample times around t).
void states_in_chunk(const Chunk& c, double t, std::vector<VehicleState>& out);

// Builds c.cells from c's samples. O(samples log samples per time).
void index_chunk(Chunk& c);

// How many vehicles are present at time t (states_in_chunk's count) without listing them:
// O(log times) once indexed, else O(samples at the two times around t).
size_t present_in_chunk(const Chunk& c, double t);

// states_in_chunk for the vehicles that may be seen: every vehicle present at t whose
// position lies inside a box that `visible` accepts is in `out` (same values, to the bit);
// others may be too, as the test is by cell. A cell's box is grown by the farthest any
// vehicle moves between the two sample times around t, so a vehicle that crosses into view
// between samples is not lost. Not ordered by vehicle. O(cells + samples in accepted cells)
// once indexed; without c.cells, as states_in_chunk.
void states_in_chunk_view(const Chunk& c, double t, const CellVisible& visible,
                          std::vector<VehicleState>& out);

}  // namespace zw::scenario::traffic
