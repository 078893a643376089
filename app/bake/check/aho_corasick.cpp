#include "app/bake/check/aho_corasick.h"

#include <algorithm>
#include <cassert>
#include <queue>

namespace zw::bake::check {

AhoCorasick::AhoCorasick() : nodes_(1), root_next_(256, -1) {}

int32_t AhoCorasick::child(int32_t node, uint8_t byte) const {
    if (node == 0) return root_next_[byte];
    const auto& next = nodes_[static_cast<size_t>(node)].next;
    auto it = std::lower_bound(next.begin(), next.end(), byte,
                               [](const std::pair<uint8_t, int32_t>& e, uint8_t b) { return e.first < b; });
    return (it != next.end() && it->first == byte) ? it->second : -1;
}

size_t AhoCorasick::add(std::string_view pattern) {
    assert(!built_);
    const size_t index = lengths_.size();
    lengths_.push_back(pattern.size());
    if (pattern.empty()) return index;
    int32_t node = 0;
    for (char ch : pattern) {
        const auto byte = static_cast<uint8_t>(ch);
        int32_t c = child(node, byte);
        if (c < 0) {
            c = static_cast<int32_t>(nodes_.size());
            nodes_.emplace_back();
            if (node == 0) {
                root_next_[byte] = c;
            } else {
                auto& next = nodes_[static_cast<size_t>(node)].next;
                auto it = std::lower_bound(
                    next.begin(), next.end(), byte,
                    [](const std::pair<uint8_t, int32_t>& e, uint8_t b) { return e.first < b; });
                next.insert(it, {byte, c});
            }
        }
        node = c;
    }
    nodes_[static_cast<size_t>(node)].patterns.push_back(static_cast<uint32_t>(index));
    return index;
}

int32_t AhoCorasick::step(int32_t node, uint8_t byte) const {
    for (;;) {
        const int32_t c = child(node, byte);
        if (c >= 0) return c;
        node = nodes_[static_cast<size_t>(node)].fail;  // the root never misses after build()
    }
}

void AhoCorasick::build() {
    assert(!built_);
    built_ = true;
    // Breadth first: a node's failure link is found from its parent's, which is shallower.
    std::queue<int32_t> queue;
    for (int b = 0; b < 256; ++b) {
        int32_t& c = root_next_[static_cast<size_t>(b)];
        if (c < 0) {
            c = 0;
        } else {
            nodes_[static_cast<size_t>(c)].fail = 0;
            queue.push(c);
        }
    }
    while (!queue.empty()) {
        const int32_t node = queue.front();
        queue.pop();
        for (const auto& [byte, c] : nodes_[static_cast<size_t>(node)].next) {
            const int32_t f = step(nodes_[static_cast<size_t>(node)].fail, byte);
            auto& cn = nodes_[static_cast<size_t>(c)];
            cn.fail = f;
            const auto& fn = nodes_[static_cast<size_t>(f)];
            cn.out_link = fn.patterns.empty() ? fn.out_link : f;
            queue.push(c);
        }
    }
}

void AhoCorasick::scan(std::string_view bytes, State& state, const OnMatch& on_match) const {
    assert(built_);
    int32_t node = state.node;
    uint64_t offset = state.offset;
    for (char ch : bytes) {
        node = step(node, static_cast<uint8_t>(ch));
        ++offset;
        for (int32_t n = node; n > 0; n = nodes_[static_cast<size_t>(n)].out_link) {
            for (uint32_t p : nodes_[static_cast<size_t>(n)].patterns)
                on_match(p, offset - lengths_[p]);
        }
    }
    state.node = node;
    state.offset = offset;
}

}  // namespace zw::bake::check
