// Feature attributes: EXT_structural_metadata property tables decoded to display text,
// and the per-vertex feature ids (EXT_mesh_features, or b3dm's _BATCHID) that index them.
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "engine/core/number_text.h"
#include "engine/gltf/internal.h"

namespace zw::gltf::detail {
namespace {

constexpr uint64_t max_table_cells = 8'000'000;  // property values shown as text, per model

using core::number_text;

// One column could not be decoded; the rest of the table still is.
struct SkipColumn : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Ct : uint8_t { none, i8, u8, i16, u16, i32, u32, i64, u64, f32, f64 };

Ct component_type(const std::string& s) {
    static const std::pair<const char*, Ct> names[] = {
        {"INT8", Ct::i8},     {"UINT8", Ct::u8},   {"INT16", Ct::i16}, {"UINT16", Ct::u16},
        {"INT32", Ct::i32},   {"UINT32", Ct::u32}, {"INT64", Ct::i64}, {"UINT64", Ct::u64},
        {"FLOAT32", Ct::f32}, {"FLOAT64", Ct::f64}};
    for (const auto& [name, ct] : names)
        if (s == name) return ct;
    return Ct::none;
}
size_t byte_size(Ct t) {
    switch (t) {
        case Ct::i8:
        case Ct::u8:
            return 1;
        case Ct::i16:
        case Ct::u16:
            return 2;
        case Ct::i32:
        case Ct::u32:
        case Ct::f32:
            return 4;
        case Ct::i64:
        case Ct::u64:
        case Ct::f64:
            return 8;
        default:
            return 0;
    }
}
bool is_float(Ct t) {
    return t == Ct::f32 || t == Ct::f64;
}
bool is_signed(Ct t) {
    return t == Ct::i8 || t == Ct::i16 || t == Ct::i32 || t == Ct::i64;
}

template <typename T>
T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
int64_t as_int(const uint8_t* p, Ct t) {
    switch (t) {
        case Ct::i8:
            return load<int8_t>(p);
        case Ct::u8:
            return load<uint8_t>(p);
        case Ct::i16:
            return load<int16_t>(p);
        case Ct::u16:
            return load<uint16_t>(p);
        case Ct::i32:
            return load<int32_t>(p);
        case Ct::u32:
            return load<uint32_t>(p);
        case Ct::i64:
            return load<int64_t>(p);
        case Ct::u64:
            return int64_t(load<uint64_t>(p));
        default:
            return 0;  // floats are never read as integers
    }
}
double as_double(const uint8_t* p, Ct t) {
    if (t == Ct::f32) return load<float>(p);
    if (t == Ct::f64) return load<double>(p);
    if (t == Ct::u64) return double(load<uint64_t>(p));
    return double(as_int(p, t));
}
std::string format_exact(const uint8_t* p, Ct t) {
    if (t == Ct::f32) return number_text(load<float>(p));
    if (t == Ct::f64) return number_text(load<double>(p));
    if (t == Ct::u64) return std::to_string(load<uint64_t>(p));
    return std::to_string(as_int(p, t));
}
double normalize(double x, Ct t) {
    const double max = std::ldexp(1.0, int(8 * byte_size(t)) - (is_signed(t) ? 1 : 0)) - 1.0;
    return is_signed(t) ? std::max(x / max, -1.0) : x / max;
}

// One property of a property table, and how to turn feature `i` into text.
struct Column {
    enum class Kind { numeric, boolean, string, enumeration } kind = Kind::numeric;
    Ct ct = Ct::none;       // numeric components, or the enum's value type
    size_t components = 1;  // VECn / MATn
    bool array = false;
    uint64_t fixed_count = 0;  // arrays: elements per feature; 0: variable (arrayOffsets)
    bool transform = false;    // normalised, or with offset / scale
    bool normalized = false;
    const json* offset = nullptr;
    const json* scale = nullptr;
    const json* no_data = nullptr;
    std::vector<std::pair<int64_t, std::string>> enum_names;
    std::span<const uint8_t> values, array_offsets, string_offsets;
    Ct array_offset_type = Ct::u32, string_offset_type = Ct::u32;

    static uint64_t offset_at(std::span<const uint8_t> offsets, Ct t, uint64_t i) {
        const size_t size = byte_size(t);
        if (i >= offsets.size() / size) throw SkipColumn("its offsets end too early");
        return uint64_t(as_int(offsets.data() + i * size, t));
    }

    // offset / scale: a number, or per component, or per array element (and component).
    static double pick(const json* v, bool per_element, size_t j, bool per_component, size_t c,
                       double fallback) {
        if (per_element && v && v->is_array()) v = element(v, j);
        if (per_component && v && v->is_array()) v = element(v, c);
        return number_value(v).value_or(fallback);
    }

    std::string number(uint64_t k, size_t j) const {
        const size_t csize = byte_size(ct);
        if (k >= values.size() / csize / components) throw SkipColumn("its values end too early");
        std::string text;
        for (size_t c = 0; c < components; ++c) {
            const uint8_t* p = values.data() + (k * components + c) * csize;
            if (c) text += ", ";
            if (!transform) {
                text += format_exact(p, ct);
                continue;
            }
            double x = as_double(p, ct);
            if (normalized && !is_float(ct)) x = normalize(x, ct);
            x = x * pick(scale, array, j, components > 1, c, 1.0) +
                pick(offset, array, j, components > 1, c, 0.0);
            text += number_text(x);
        }
        return components > 1 ? "(" + text + ")" : text;
    }

    std::string value(uint64_t k, size_t j) const {
        switch (kind) {
            case Kind::numeric:
                return number(k, j);
            case Kind::boolean:
                if (k / 8 >= values.size()) throw SkipColumn("its values end too early");
                return (values[k / 8] >> (k % 8)) & 1 ? "true" : "false";
            case Kind::string: {
                const uint64_t a = offset_at(string_offsets, string_offset_type, k);
                const uint64_t b = offset_at(string_offsets, string_offset_type, k + 1);
                if (a > b || b > values.size()) throw SkipColumn("a string offset lies outside its values");
                return std::string(reinterpret_cast<const char*>(values.data() + a), b - a);
            }
            case Kind::enumeration: {
                const size_t csize = byte_size(ct);
                if (k >= values.size() / csize) throw SkipColumn("its values end too early");
                const int64_t v = as_int(values.data() + k * csize, ct);
                for (const auto& [number, name] : enum_names)
                    if (number == v) return name;
                return std::to_string(v);
            }
        }
        return {};
    }

    std::string feature(uint64_t i) const {
        if (!array) {
            std::string v = value(i, 0);
            const bool no_value = no_data && ((no_data->is_string() && no_data->get<std::string>() == v) ||
                                              (kind == Kind::numeric && components == 1 && !transform &&
                                               no_data->is_number() && v == format_exact_json(*no_data)));
            return no_value ? std::string() : v;
        }
        uint64_t first, count;
        if (fixed_count) {
            first = i * fixed_count;
            count = fixed_count;
        } else {
            first = offset_at(array_offsets, array_offset_type, i);
            const uint64_t end = offset_at(array_offsets, array_offset_type, i + 1);
            if (end < first) throw SkipColumn("its array offsets decrease");
            count = end - first;
        }
        std::string text = "[";
        for (uint64_t j = 0; j < count; ++j)
            text += (j ? ", " : "") + value(first + j, size_t(j));
        return text + "]";
    }

    // noData as the column's own text (so 7 matches an INT32 7 and 0.5 a FLOAT32 0.5).
    std::string format_exact_json(const json& v) const {
        const double d = v.get<double>();
        if (ct == Ct::f32 && std::fabs(d) <= std::numeric_limits<float>::max()) return number_text(float(d));
        if (is_float(ct)) return number_text(d);
        if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
        if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
        return number_text(d);
    }
};

class MetadataDecoder {
  public:
    MetadataDecoder(const Reader& r, const Warnings& warn) : r_(r), warn_(warn) {}

    // One PropertyTable per propertyTables entry, even when nothing of it decodes,
    // so that feature ids keep pointing at the right table.
    std::vector<PropertyTable> decode(const json* ext) {
        std::vector<PropertyTable> tables;
        const json* list = member(ext, "propertyTables");
        if (!list || !list->is_array()) return tables;
        schema_ = member(ext, "schema");
        if (!schema_ && member(ext, "schemaUri"))
            warn_("EXT_structural_metadata: the external schema '", string_value(member(ext, "schemaUri")),
                  "' is not read; property tables show no values");
        for (size_t t = 0; t < list->size(); ++t)
            tables.push_back(decode_table((*list)[t], t));
        return tables;
    }

  private:
    PropertyTable decode_table(const json& table, size_t index) {
        PropertyTable out;
        out.class_id = string_value(member(&table, "class"));
        out.name = string_value(member(&table, "name"), out.class_id);
        const uint64_t count = unsigned_value(member(&table, "count")).value_or(0);
        const std::string label = "property table " + std::to_string(index) + " ('" + out.name + "')";
        if (count > UINT32_MAX) {
            warn_(label, " claims ", count, " features; skipped");
            return out;
        }
        out.count = uint32_t(count);
        const json* properties = member(&table, "properties");
        if (!schema_ || !properties || !properties->is_object()) return out;
        const json* class_properties = member(member(schema_, "classes", out.class_id.c_str()), "properties");
        if (!class_properties || !class_properties->is_object()) {
            warn_(label, ": class '", out.class_id, "' is not in the schema; its values are not shown");
            return out;
        }
        // The schema's order, which is how its author wants the properties listed.
        for (const auto& [id, definition] : class_properties->items()) {
            const json* storage = member(properties, id.c_str());
            if (!storage) continue;
            if (cells_ + count > max_table_cells) {
                warn_(label, ": property '", id, "' skipped: the model has too many property values to show");
                continue;
            }
            cells_ += count;
            try {
                const Column column = make_column(definition, *storage);
                std::vector<std::string> values;
                for (uint64_t i = 0; i < count; ++i)
                    values.push_back(column.feature(i));
                out.properties.push_back(id);
                out.values.push_back(std::move(values));
            } catch (const SkipColumn& e) {
                warn_(label, ": property '", id, "' skipped: ", e.what());
            }
        }
        for (const auto& [id, storage] : properties->items())
            if (!member(class_properties, id.c_str()))
                warn_(label, ": property '", id, "' is not in class '", out.class_id, "'; skipped");
        return out;
    }

    std::span<const uint8_t> view(const json* index, const char* what) const {
        const auto i = unsigned_value(index);
        if (!i) throw SkipColumn(std::string("it has no ") + what);
        const std::span<const uint8_t> bytes = r_.buffer_view(size_t(std::min<uint64_t>(*i, SIZE_MAX)));
        if (bytes.empty())
            throw SkipColumn(std::string("its ") + what + " buffer view is missing or outside its buffer");
        return bytes;
    }

    Column make_column(const json& def, const json& storage) const {
        Column c;
        const std::string type = string_value(member(&def, "type"));
        static const std::pair<const char*, size_t> numeric[] = {
            {"SCALAR", 1}, {"VEC2", 2}, {"VEC3", 3}, {"VEC4", 4}, {"MAT2", 4}, {"MAT3", 9}, {"MAT4", 16}};
        bool known = false;
        for (const auto& [name, n] : numeric)
            if (type == name) {
                known = true;
                c.components = n;
                c.ct = component_type(string_value(member(&def, "componentType")));
                if (c.ct == Ct::none) throw SkipColumn("its componentType is missing or unknown");
            }
        if (type == "BOOLEAN") {
            known = true;
            c.kind = Column::Kind::boolean;
        } else if (type == "STRING") {
            known = true;
            c.kind = Column::Kind::string;
        } else if (type == "ENUM") {
            known = true;
            c.kind = Column::Kind::enumeration;
            const std::string enum_id = string_value(member(&def, "enumType"));
            const json* enumeration = member(member(schema_, "enums"), enum_id.c_str());
            if (!enumeration) throw SkipColumn("its enum '" + enum_id + "' is not in the schema");
            c.ct = component_type(string_value(member(enumeration, "valueType"), "UINT16"));
            if (c.ct == Ct::none || is_float(c.ct)) throw SkipColumn("its enum value type is unknown");
            if (const json* values = member(enumeration, "values"); values && values->is_array())
                for (const json& v : *values)
                    if (const json* n = member(&v, "value"); n && n->is_number_integer())
                        c.enum_names.emplace_back(n->get<int64_t>(), string_value(member(&v, "name")));
        }
        if (!known) throw SkipColumn("type '" + type + "' is not supported");

        c.array = member(&def, "array") && *member(&def, "array") == true;
        if (c.array && member(&def, "count")) {
            c.fixed_count = unsigned_value(member(&def, "count")).value_or(0);
            if (c.fixed_count == 0 || c.fixed_count > UINT32_MAX)
                throw SkipColumn("its array count is invalid");
        }
        c.normalized = member(&def, "normalized") && *member(&def, "normalized") == true;
        c.offset = member(&storage, "offset") ? member(&storage, "offset") : member(&def, "offset");
        c.scale = member(&storage, "scale") ? member(&storage, "scale") : member(&def, "scale");
        c.transform = c.kind == Column::Kind::numeric && (c.normalized || c.offset || c.scale);
        c.no_data = member(&def, "noData");

        c.values = view(member(&storage, "values"), "values");
        if (c.kind == Column::Kind::string) {
            c.string_offsets = view(member(&storage, "stringOffsets"), "stringOffsets");
            c.string_offset_type =
                component_type(string_value(member(&storage, "stringOffsetType"), "UINT32"));
        }
        if (c.array && !c.fixed_count) {
            c.array_offsets = view(member(&storage, "arrayOffsets"), "arrayOffsets");
            c.array_offset_type = component_type(string_value(member(&storage, "arrayOffsetType"), "UINT32"));
        }
        for (Ct t : {c.string_offset_type, c.array_offset_type})
            if (t != Ct::u8 && t != Ct::u16 && t != Ct::u32 && t != Ct::u64)
                throw SkipColumn("its offset type is unknown");
        return c;
    }

    const Reader& r_;
    const Warnings& warn_;
    const json* schema_ = nullptr;
    uint64_t cells_ = 0;  // values decoded so far, against max_table_cells
};

}  // namespace

void FeatureReader::read_tables(const json& doc, const std::optional<PropertyTable>& batch_table,
                                std::vector<PropertyTable>& tables) {
    tables = MetadataDecoder(r_, warn_).decode(member(&doc, "extensions", "EXT_structural_metadata"));
    tables_ = &tables;
    gltf_tables_ = tables.size();
    if (batch_table) {
        batch_table_ = int32_t(tables.size());
        tables.push_back(*batch_table);
    }
}

std::vector<uint32_t> FeatureReader::feature_ids(const tinygltf::Primitive& p, const json* json_primitive,
                                                 size_t n, int32_t& table) {
    const json* ids =
        element(member(member(json_primitive, "extensions", "EXT_mesh_features"), "featureIds"), 0);
    std::optional<uint64_t> null_id;
    int accessor = -1;
    std::vector<uint32_t> out;
    if (ids) {
        null_id = unsigned_value(member(ids, "nullFeatureId"));
        if (const auto t = unsigned_value(member(ids, "propertyTable"))) {
            if (*t < gltf_tables_)
                table = int32_t(*t);
            else
                warn_("a primitive's feature ids refer to the missing property table ", *t);
        }
        if (const auto set = unsigned_value(member(ids, "attribute"))) {
            const std::string name = "_FEATURE_ID_" + std::to_string(*set);
            auto it = p.attributes.find(name);
            if (it == p.attributes.end()) {
                warn_("a primitive's feature ids name the missing attribute ", name);
                table = -1;
                return {};
            }
            accessor = it->second;
        } else if (member(ids, "texture")) {
            warn_("feature id textures are not read; a primitive has no feature ids");
            table = -1;
            return {};
        } else {
            out.resize(n);  // implicit: the vertex index is the feature id
            for (size_t i = 0; i < n; ++i)
                out[i] = uint32_t(i);
        }
    } else if (batch_table_ >= 0) {
        for (const char* name : {"_BATCHID", "BATCHID"})
            if (auto it = p.attributes.find(name); it != p.attributes.end()) accessor = it->second;
        if (accessor < 0) return {};
        table = batch_table_;
    } else {
        return {};
    }
    if (accessor >= 0) {
        const Reader::View v = r_.view(accessor, "a feature id attribute");
        if (v.count != n || v.components != 1)
            r_.bad("a feature id attribute does not match POSITION in count or type");
        out.resize(n);
        for (size_t i = 0; i < n; ++i) {
            const double x = std::round(Reader::raw(v, i, 0));
            out[i] = x >= 0 && x < double(UINT32_MAX) ? uint32_t(x) : UINT32_MAX;
        }
    }
    const uint32_t limit = table >= 0 ? (*tables_)[size_t(table)].count : UINT32_MAX;
    for (uint32_t& id : out) {
        if (id == UINT32_MAX) continue;
        if (null_id && id == *null_id) {
            id = UINT32_MAX;
        } else if (id >= limit) {
            ++out_of_range_;
            id = UINT32_MAX;
        }
    }
    return out;
}

}  // namespace zw::gltf::detail
