// SPDX-License-Identifier: MIT
// The Confluent wire format: a zero byte, the schema id as a 4-byte big-endian integer, then the
// encoded record. Protobuf records put the path of their message type in the file (message
// indexes) between the id and the message.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evt/error.hpp"
#include "evt/record.hpp"

namespace evt::schema {

constexpr std::size_t k_header_size = 5;

struct Framed {
  std::int32_t id = 0;
  std::string_view payload;  ///< everything after the 5-byte header
};

/// The schema id and the rest, when `bytes` starts like a framed record (magic byte 0 and at
/// least 5 bytes); nullopt otherwise.
std::optional<Framed> parse_frame(std::string_view bytes);

/// Appends the 5-byte header.
void append_frame_header(std::string& out, std::int32_t id);

/// Reads the Protobuf message indexes at the start of `payload` (a zig-zag varint count, then
/// that many zig-zag varint indexes; a count of 0 stands for [0], the file's first message).
/// On success `payload` is advanced past them.
Result<std::vector<int>> read_message_indexes(std::string_view& payload);

/// Appends message indexes; [0] is written as the single byte 0, as Confluent's serializers do.
void append_message_indexes(std::string& out, const std::vector<int>& indexes);

/// Adds one OLD=NEW mapping of schema ids (replay --schema-id) to `ids`: two ids of at least
/// 0; an id mapped twice is refused. Errors name `text`.
Result<void> add_schema_id_mapping(std::map<std::int32_t, std::int32_t>& ids,
                                   std::string_view text);

/// `bytes` with its schema id replaced when it is framed and `ids` maps its id (the copy is
/// made in `storage`); otherwise `bytes` itself.
BytesView with_schema_id(BytesView bytes,
                         const std::map<std::int32_t, std::int32_t>& ids,
                         std::string& storage);

}  // namespace evt::schema
