// SPDX-License-Identifier: MIT
#include "evt/ops/offsets_view.hpp"

#include <fmt/format.h>

#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"
#include "evt/time_spec.hpp"

namespace evt::ops {

std::string render_table(const OffsetsView& view, std::size_t width, bool color) {
  format::Table table({"PARTITION", "OFFSET", "LOW", "HIGH"});
  for (const OffsetsView::Partition& p : view.partitions) {
    table.add_row({std::to_string(p.partition),
                   std::to_string(p.offset),
                   std::to_string(p.low),
                   std::to_string(p.high)});
  }
  return fmt::format("first offsets at or after {} ({}):\n", format_iso_utc(view.time), view.time) +
         table.render(width, color);
}

std::string render_json(const OffsetsView& view) {
  format::JsonWriter json;
  json.begin_object().key("topic").string(view.topic).key("time").number(view.time);
  json.key("partitions").begin_array();
  for (const OffsetsView::Partition& p : view.partitions) {
    json.begin_object();
    json.key("partition").number(p.partition);
    json.key("offset").number(p.offset);
    json.key("at_end").boolean(p.offset >= p.high);
    json.end_object();
  }
  return json.end_array().end_object().line();
}

}  // namespace evt::ops
