// SPDX-License-Identifier: MIT
#include "evt/schema/wire.hpp"

#include <charconv>

#include <fmt/format.h>

namespace evt::schema {

namespace {

// A zig-zag varint of at most 32 bits (Confluent writes the indexes with Java's
// ByteUtils.writeVarint).
Result<std::int32_t> read_varint(std::string_view& in) {
  std::uint32_t raw = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (in.empty()) {
      return fail(ErrorKind::usage, "message indexes are truncated");
    }
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    if (shift == 28 && (byte & 0xF0) != 0) {
      return fail(ErrorKind::usage, "a message index does not fit 32 bits");
    }
    raw |= static_cast<std::uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      return static_cast<std::int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
    }
  }
  return fail(ErrorKind::usage, "a message index does not fit 32 bits");
}

void append_varint(std::string& out, std::int32_t value) {
  auto raw = (static_cast<std::uint32_t>(value) << 1) ^ static_cast<std::uint32_t>(value >> 31);
  while (raw >= 0x80) {
    out.push_back(static_cast<char>((raw & 0x7F) | 0x80));
    raw >>= 7;
  }
  out.push_back(static_cast<char>(raw));
}

}  // namespace

std::optional<Framed> parse_frame(std::string_view bytes) {
  if (bytes.size() < k_header_size || bytes[0] != 0) {
    return std::nullopt;
  }
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]));
  };
  const std::uint32_t id = (byte(1) << 24) | (byte(2) << 16) | (byte(3) << 8) | byte(4);
  return Framed{static_cast<std::int32_t>(id), bytes.substr(k_header_size)};
}

void append_frame_header(std::string& out, std::int32_t id) {
  const auto value = static_cast<std::uint32_t>(id);
  out.push_back('\0');
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>((value >> 16) & 0xFF));
  out.push_back(static_cast<char>((value >> 8) & 0xFF));
  out.push_back(static_cast<char>(value & 0xFF));
}

Result<void> add_schema_id_mapping(std::map<std::int32_t, std::int32_t>& ids,
                                   std::string_view text) {
  const auto id = [](std::string_view digits, std::int32_t& out) {
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return !digits.empty() && error == std::errc() && end == digits.data() + digits.size() &&
           out >= 0;
  };
  const std::size_t equals = text.find('=');
  std::int32_t from = -1;
  std::int32_t to = -1;
  if (equals == std::string_view::npos || !id(text.substr(0, equals), from) ||
      !id(text.substr(equals + 1), to)) {
    return fail(ErrorKind::usage, fmt::format("\"{}\": expected OLD=NEW, two schema ids", text));
  }
  if (!ids.emplace(from, to).second) {
    return fail(ErrorKind::usage, fmt::format("\"{}\": id {} is mapped twice", text, from));
  }
  return {};
}

BytesView with_schema_id(BytesView bytes,
                         const std::map<std::int32_t, std::int32_t>& ids,
                         std::string& storage) {
  if (bytes.is_null()) {
    return bytes;
  }
  const auto framed = parse_frame(bytes.view());
  if (!framed) {
    return bytes;
  }
  const auto it = ids.find(framed->id);
  if (it == ids.end()) {
    return bytes;
  }
  storage.clear();
  append_frame_header(storage, it->second);
  storage.append(framed->payload);
  return BytesView::of(std::string_view(storage));
}

Result<std::vector<int>> read_message_indexes(std::string_view& payload) {
  std::string_view in = payload;
  auto count = read_varint(in);
  if (!count) {
    return std::move(count).take_error();
  }
  if (*count < 0) {
    return fail(ErrorKind::usage, fmt::format("negative message index count {}", *count));
  }
  std::vector<int> indexes;
  if (*count == 0) {
    indexes.push_back(0);
  } else {
    // Each index takes at least one byte: a count beyond the bytes left is corrupt, and must not
    // reserve memory for it.
    if (static_cast<std::size_t>(*count) > in.size()) {
      return fail(ErrorKind::usage,
                  fmt::format("{} message indexes announced, {} bytes left", *count, in.size()));
    }
    for (std::int32_t i = 0; i < *count; ++i) {
      auto index = read_varint(in);
      if (!index) {
        return std::move(index).take_error();
      }
      if (*index < 0) {
        return fail(ErrorKind::usage, fmt::format("negative message index {}", *index));
      }
      indexes.push_back(*index);
    }
  }
  payload = in;
  return indexes;
}

void append_message_indexes(std::string& out, const std::vector<int>& indexes) {
  if (indexes.size() == 1 && indexes[0] == 0) {
    out.push_back('\0');
    return;
  }
  append_varint(out, static_cast<std::int32_t>(indexes.size()));
  for (int index : indexes) {
    append_varint(out, index);
  }
}

}  // namespace evt::schema
