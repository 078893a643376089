// Aho-Corasick: finds every occurrence of many byte strings in one pass over the data,
// overlapping ones included. Build once (add(), then build()), then scan any number of
// byte streams; a stream may come in pieces (keep the State between calls).
// Memory: a 256-entry table for the root, sorted edge lists elsewhere; scanning costs
// O(bytes + matches).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace zw::bake::check {

class AhoCorasick {
  public:
    AhoCorasick();

    // Adds a pattern and returns its index (0, 1, ...). Adding the same bytes twice
    // gives two indices that both match. An empty pattern is ignored (returns the index
    // anyway, it never matches). Only before build().
    size_t add(std::string_view pattern);
    // Computes failure and output links. Call once, after the last add().
    void build();

    size_t size() const { return lengths_.size(); }
    size_t pattern_length(size_t i) const { return lengths_[i]; }

    // Where a scan stands between two pieces of one stream.
    struct State {
        int32_t node = 0;
        uint64_t offset = 0;  // bytes consumed so far
    };
    // Called for every match with the pattern index and the offset of its first byte
    // in the stream.
    using OnMatch = std::function<void(size_t pattern, uint64_t begin)>;
    void scan(std::string_view bytes, State& state, const OnMatch& on_match) const;
    void scan(std::string_view bytes, const OnMatch& on_match) const {
        State s;
        scan(bytes, s, on_match);
    }

  private:
    struct Node {
        std::vector<std::pair<uint8_t, int32_t>> next;  // sorted by byte
        int32_t fail = 0;
        int32_t out_link = -1;  // nearest node on the failure chain with patterns
        std::vector<uint32_t> patterns;
    };
    int32_t child(int32_t node, uint8_t byte) const;
    int32_t step(int32_t node, uint8_t byte) const;

    std::vector<Node> nodes_;
    std::vector<int32_t> root_next_;  // 256 entries; after build(), never -1
    std::vector<size_t> lengths_;
    bool built_ = false;
};

}  // namespace zw::bake::check
