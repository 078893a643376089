// Playback of trajectories.zwt without reading on the frame thread: a TrajectoryStream owns
// a TrajectoryReader and a worker thread that reads and decodes the chunks ahead of the
// shown time (the next ones in the direction of play: after it while playing forward,
// before it while playing backwards), keeps a few decoded chunks, and answers state_at from
// them. Same answers as TrajectoryReader::state_at, to the bit (trajectory_stream_test).
//
// When state_at asks for a chunk that is not decoded yet (a seek, the first frame, or play
// faster than the worker reads), it waits for the worker to decode it: the frame after a
// seek shows the right vehicles a chunk's decode later (about 3 ms for a 60 s chunk of
// ~750 vehicles, release build) rather than the wrong ones at once. Play never waits while
// the worker decodes a chunk faster than play crosses one: at 60x a 60 s chunk lasts a
// second of wall time, some 300 decodes. The worker is woken only when a chunk ahead is
// missing (once per chunk while playing), not every frame. stats() counts the waits and
// their longest; tests/bench/traffic_bench.cpp measures both (docs/traffic-bundle.md).
//
// Thread-safe: state_at, the accessors and stats may be called from any thread at once.
// Cost: `cache_chunks` decoded chunks in memory (28 bytes a sample with the cell index:
// 60 s of 750 vehicles is ~1.3 MB), one thread, one open file. The reader's own cache is of no further use:
// open it with cache_chunks 1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <glm/vec3.hpp>

#include "engine/scenario/traffic/trajectories.h"

namespace zw::scenario::traffic {

class TrajectoryStream {
  public:
    struct Options {
        // Chunks decoded ahead of the shown one in the direction of play (at least 1).
        size_t ahead_chunks = 2;
        // Decoded chunks kept (at least ahead_chunks + 2: the shown one, those ahead and the
        // one just left, so that a small step back does not wait). The farthest from the
        // shown chunk goes first.
        size_t cache_chunks = 6;
    };

    struct Stats {
        uint64_t calls = 0;          // state_at calls inside the run
        uint64_t waits = 0;          // of them, calls that waited for their chunk
        double wait_s_total = 0;     // the time they waited, together
        double wait_s_max = 0;       // the longest wait
        uint64_t decoded = 0;        // chunks the worker decoded
        uint64_t prefetched = 0;     // of them, decoded ahead of any call asking for them
        uint64_t prefetch_hits = 0;  // calls that found a prefetched chunk on their first use
    };

    // Takes over `reader` (its header already read) and starts the worker; reads nothing
    // yet. Options out of range are raised to their least.
    explicit TrajectoryStream(TrajectoryReader reader, Options options);
    explicit TrajectoryStream(TrajectoryReader reader) : TrajectoryStream(std::move(reader), Options{}) {}
    // Stops the worker (after the chunk it is decoding, if any).
    ~TrajectoryStream();
    TrajectoryStream(const TrajectoryStream&) = delete;
    TrajectoryStream& operator=(const TrajectoryStream&) = delete;

    // The reader's header, fixed once opened.
    const glm::dvec3& origin() const;
    double chunk_length_s() const;
    double sample_step_s() const;
    double begin_s() const;
    double end_s() const;
    const std::vector<VehicleInfo>& vehicles() const;
    const std::vector<ChunkInfo>& chunks() const;

    // As TrajectoryReader::state_at. Returns at once when the chunk holding t is decoded,
    // else waits for the worker to decode it. The direction of play is that from the time
    // asked for before to this one, and the worker is set to read the next ahead_chunks
    // chunks that way. Throws zw::Error for a damaged chunk, when (and each time) a time
    // inside it is asked for; a damaged chunk ahead is not an error until play reaches it.
    void state_at(double t, std::vector<VehicleState>& out);
    std::vector<VehicleState> state_at(double t);
    // As state_at, for the vehicles that may be seen (states_in_chunk_view): what the viewer
    // draws from. Returns how many vehicles are present at t.
    size_t state_in_view(double t, const CellVisible& visible, std::vector<VehicleState>& out);

    // Whether chunk k is decoded and kept now.
    bool ready(size_t k) const;
    // Waits until the worker has nothing left to read (for tests and benchmarks).
    void wait_idle() const;
    Stats stats() const;

  private:
    std::shared_ptr<const Chunk> chunk_for(double t);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace zw::scenario::traffic
