// SPDX-License-Identifier: MIT
#include "evt/ops/inspect.hpp"

#include <algorithm>
#include <cerrno>
#include <map>

#include <fmt/format.h>

#include "evt/format/envelope.hpp"
#include "evt/io/write_all.hpp"
#include "evt/kafka/admin.hpp"
#include "evt/kafka/consumer.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_resolver.hpp"
#include "evt/kafka/read_record.hpp"
#include "evt/ops/cluster_view.hpp"
#include "evt/ops/group_list_view.hpp"
#include "evt/ops/group_view.hpp"
#include "evt/ops/message_view.hpp"
#include "evt/ops/offsets_view.hpp"
#include "evt/ops/topic_list_view.hpp"
#include "evt/ops/topic_view.hpp"
#include "evt/time_spec.hpp"

#include <poll.h>
#include <unistd.h>

namespace evt::ops {

namespace {

// The view in the output asked for: a view without JSON or names shows its table.
template <typename View>
std::string render(const View& view, const InspectSettings& settings) {
  if (settings.output == InspectOutput::json) {
    if constexpr (requires { render_json(view); }) {
      return render_json(view);
    }
  }
  if (settings.output == InspectOutput::names) {
    if constexpr (requires { render_names(view); }) {
      return render_names(view);
    }
  }
  return render_table(view, settings.width, settings.color);
}

bool leaderless(const kafka::PartitionInfo& p) {
  return p.leader < 0;
}

/// Fetches what a view shows and renders it; keeps state between refreshes for --watch (lag
/// trends).
class Inspector {
 public:
  Inspector(const InspectSettings& settings, kafka::Consumer& consumer)
      : m_settings(settings), m_consumer(consumer), m_client(consumer.client()) {}

  Result<std::string> render() {
    switch (m_settings.view) {
      case InspectView::cluster:
        return rendered(cluster());
      case InspectView::topics:
        return rendered(topics());
      case InspectView::topic:
        return rendered(topic());
      case InspectView::groups:
        return rendered(groups());
      case InspectView::group:
        return rendered(group());
      case InspectView::offsets:
        return rendered(offsets());
      case InspectView::message:
        return message();
    }
    return std::string();
  }

 private:
  template <typename View>
  Result<std::string> rendered(Result<View> view) const {
    if (!view) {
      return std::move(view).take_error();
    }
    return ops::render(*view, m_settings);
  }

  Result<ClusterView> cluster() {
    auto info = kafka::fetch_cluster(m_client, kafka::TopicSelection::all);
    if (!info) {
      return std::move(info).take_error();
    }
    // The client library (2.0.2) gives no racks with the metadata; each broker's broker.rack
    // config has them.
    std::map<std::int32_t, std::string> racks;
    std::optional<std::string> racks_error;
    if (m_settings.output != InspectOutput::names) {
      std::vector<std::int32_t> ids;
      for (const auto& b : info->brokers) {
        ids.push_back(b.id);
      }
      auto described = kafka::describe_broker_racks(m_client, ids);
      if (described) {
        racks = std::move(*described);
      } else if (described.error().kind == ErrorKind::unsupported) {
        racks_error = described.error().message;
      } else {
        return std::move(described).take_error();
      }
    }
    return make_cluster_view(*info, racks, std::move(racks_error));
  }

  // Record counts of many topics with batched watermark requests.
  Result<std::map<std::string, std::int64_t>> record_counts(
      const std::vector<const kafka::TopicInfo*>& topics) {
    std::vector<kafka::TopicPartition> partitions;
    for (const auto* t : topics) {
      for (const auto& p : t->partitions) {
        if (!leaderless(p)) {  // cannot answer; the topic's status says LEADERLESS
          partitions.push_back(kafka::TopicPartition{t->name, p.id});
        }
      }
    }
    auto marks = kafka::query_all_watermarks(m_client, partitions);
    if (!marks) {
      return std::move(marks).take_error();
    }
    std::map<std::string, std::int64_t> counts;
    for (const auto* t : topics) {
      counts[t->name] = 0;
    }
    for (const auto& [key, value] : *marks) {
      counts[key.topic] += value.count();
    }
    return counts;
  }

  Result<TopicListView> topics() {
    auto info = kafka::fetch_cluster(m_client, kafka::TopicSelection::all);
    if (!info) {
      return std::move(info).take_error();
    }
    std::vector<const kafka::TopicInfo*> shown;
    for (const auto& t : info->topics) {
      if (m_settings.internal || !t.name.starts_with("__")) {
        shown.push_back(&t);
      }
    }
    TopicListView view;
    if (m_settings.output == InspectOutput::names) {
      for (const auto* t : shown) {
        view.rows.push_back(topic_list_row(*t, 0));  // no counts: only the names are shown
      }
      return view;
    }
    auto counts = record_counts(shown);
    if (!counts) {
      return std::move(counts).take_error();
    }
    for (const auto* t : shown) {
      view.rows.push_back(topic_list_row(*t, (*counts)[t->name]));
    }
    return view;
  }

  Result<TopicView> topic() {
    auto t = kafka::fetch_topic(m_client, m_settings.name);
    if (!t) {
      return std::move(t).take_error();
    }
    // A partition without a leader cannot say its watermarks: the others are still shown,
    // which is when this view is needed most.
    std::vector<kafka::TopicPartition> led;
    for (const auto& p : t->partitions) {
      if (!leaderless(p)) {
        led.push_back(kafka::TopicPartition{t->name, p.id});
      }
    }
    auto all_marks = kafka::query_all_watermarks(m_client, led);
    if (!all_marks) {
      return std::move(all_marks).take_error();
    }
    TopicView view;
    view.topic = t->name;
    for (const auto& p : t->partitions) {
      TopicView::Partition partition{p.id, p.leader, p.replicas, p.isrs, std::nullopt};
      const auto found = all_marks->find({t->name, p.id});
      if (found != all_marks->end()) {
        partition.marks = found->second;
      }
      view.partitions.push_back(std::move(partition));
    }
    auto configs = kafka::describe_topic_configs(m_client, t->name);
    if (configs) {
      view.configs = std::move(*configs);
    } else {
      view.configs_error = configs.error().message;
    }
    return view;
  }

  Result<GroupListView> groups() {
    auto listed = kafka::list_groups(m_client);
    if (!listed) {
      const Error& error = listed.error();
      if (error.kind == ErrorKind::unsupported) {
        return fail(ErrorKind::unsupported,
                    error.message,
                    "inspect a group you know by name with 'evt inspect group ID' (committed "
                    "offsets and lag work on such brokers)");
      }
      return std::move(listed).take_error();
    }
    // The protocol and members come from describing the groups, which brokers that list
    // groups can do; without it the rest is still worth showing.
    std::vector<kafka::GroupDescription> described;
    if (m_settings.output != InspectOutput::names) {
      std::vector<std::string> ids;
      for (const auto& g : *listed) {
        ids.push_back(g.group);
      }
      auto descriptions = kafka::describe_groups(m_client, ids);
      if (descriptions) {
        described = std::move(*descriptions);
        for (auto& description : described) {
          kafka::reconcile_kip848(description, *listed);
        }
      }
    }
    return make_group_list_view(*listed, described);
  }

  Result<GroupView> group() {
    GroupView view;
    view.group = m_settings.name;
    view.trend = m_settings.watch.has_value();
    const std::string& id = view.group;
    // The Kafka client evt uses (2.0.2) cannot be destroyed after a DescribeConsumerGroups
    // that the broker does not support (it spins). Brokers have ListGroups whenever they have
    // DescribeGroups, and that one fails cleanly, so ask it first.
    Result<kafka::GroupDescription> description =
        fail(ErrorKind::unsupported, "the broker does not support describing consumer groups");
    auto listing = kafka::list_groups(m_client);
    if (listing) {
      description = kafka::describe_group(m_client, id);
    } else if (listing.error().kind != ErrorKind::unsupported) {
      return std::move(listing).take_error();
    }
    if (description && listing && kafka::reconcile_kip848(*description, *listing)) {
      view.describe_note = kafka::k_kip848_note;
    }
    if (description) {
      view.description = std::move(*description);
    } else if (description.error().kind == ErrorKind::unsupported) {
      view.describe_note = description.error().message;
    } else {
      return std::move(description).take_error();
    }
    // The partitions to ask about: the given topic, or every topic.
    std::vector<kafka::TopicInfo> topics;
    if (m_settings.group_topic) {
      auto t = kafka::fetch_topic(m_client, *m_settings.group_topic);
      if (!t) {
        return std::move(t).take_error();
      }
      topics.push_back(std::move(*t));
    } else {
      auto cluster = kafka::fetch_cluster(m_client, kafka::TopicSelection::all);
      if (!cluster) {
        return std::move(cluster).take_error();
      }
      for (auto& t : cluster->topics) {
        if (!t.name.starts_with("__")) {
          topics.push_back(std::move(t));
        }
      }
    }
    std::vector<kafka::TopicPartition> partitions;
    for (const auto& t : topics) {
      for (const auto& p : t.partitions) {
        partitions.push_back(kafka::TopicPartition{t.name, p.id});
      }
    }
    auto committed = kafka::group_offsets(m_client, id, partitions);
    if (!committed) {
      return std::move(committed).take_error();
    }
    // The high watermarks of every partition the group committed in, in batched requests.
    std::vector<kafka::TopicPartition> committed_in;
    for (const auto& [key, offset] : *committed) {
      if (offset >= 0) {  // -1: this group never committed here
        committed_in.push_back(key);
      }
    }
    auto all_marks = kafka::query_all_watermarks(m_client, committed_in);
    if (!all_marks) {
      return std::move(all_marks).take_error();
    }
    const auto now = std::chrono::steady_clock::now();
    for (const auto& [key, offset] : *committed) {
      if (offset < 0) {
        continue;
      }
      const std::int64_t high = all_marks->at(key).high;
      const std::int64_t lag = std::max<std::int64_t>(0, high - offset);
      double rate = 0;
      auto previous = m_previous_lag.find(key);
      if (previous != m_previous_lag.end()) {
        const double seconds = std::chrono::duration<double>(now - m_previous_time).count();
        rate = seconds > 0 ? static_cast<double>(lag - previous->second) / seconds : 0;
      }
      m_previous_lag[key] = lag;
      view.partitions.push_back(
          GroupView::Partition{key.topic, key.partition, offset, high, lag, rate});
    }
    m_previous_time = now;
    if (view.partitions.empty() && (!view.description || view.description->members.empty())) {
      return fail(ErrorKind::not_found,
                  fmt::format("group \"{}\" has no committed offsets{}",
                              id,
                              m_settings.group_topic ? " for topic " + *m_settings.group_topic
                                                     : std::string()),
                  view.describe_note);
    }
    return view;
  }

  Result<OffsetsView> offsets() {
    auto t = kafka::fetch_topic(m_client, m_settings.name);
    if (!t) {
      return std::move(t).take_error();
    }
    std::vector<kafka::TopicPartition> partitions;
    for (const auto& p : t->partitions) {
      partitions.push_back(kafka::TopicPartition{t->name, p.id});
    }
    auto all_marks = kafka::query_all_watermarks(m_client, partitions);
    if (!all_marks) {
      return std::move(all_marks).take_error();
    }
    OffsetsView view{t->name, m_settings.at_time, {}};
    for (const auto& p : t->partitions) {
      const kafka::Watermarks& marks = all_marks->at({t->name, p.id});
      auto offset =
          kafka::find_offset_for_time(m_consumer, t->name, p.id, marks, m_settings.at_time);
      if (!offset) {
        return std::move(offset).take_error();
      }
      view.partitions.push_back(OffsetsView::Partition{p.id, *offset, marks.low, marks.high});
    }
    return view;
  }

  // The record at the offset; --jq decides whether it is shown and --jq-output what of it.
  Result<std::string> message() {
    auto t = kafka::fetch_topic(m_client, m_settings.name);
    if (!t) {
      return std::move(t).take_error();
    }
    if (m_settings.partition >= static_cast<std::int32_t>(t->partitions.size())) {
      return fail(ErrorKind::not_found,
                  fmt::format("partition {} does not exist: topic \"{}\" has {}",
                              m_settings.partition,
                              t->name,
                              t->partitions.size()));
    }
    auto marks = kafka::query_watermarks(m_client, t->name, m_settings.partition);
    if (!marks) {
      return std::move(marks).take_error();
    }
    if (m_settings.offset < marks->low || m_settings.offset >= marks->high) {
      return fail(ErrorKind::not_found,
                  fmt::format("no record at offset {} of {}/{} ({})",
                              m_settings.offset,
                              t->name,
                              m_settings.partition,
                              marks->count() > 0
                                  ? fmt::format("it holds {}..{}", marks->low, marks->high - 1)
                                  : fmt::format("it is empty, next offset {}", marks->high)));
    }
    auto record = kafka::read_record(m_client, t->name, m_settings.partition, m_settings.offset);
    if (!record) {
      return std::move(record).take_error();
    }
    if (!*record || (*record)->offset != m_settings.offset) {
      return fail(
          ErrorKind::not_found,
          fmt::format(
              "no record at offset {} of {}/{}", m_settings.offset, t->name, m_settings.partition));
    }
    MessageView view{std::move(**record), {}};
    std::vector<HeaderView> header_views;
    const RecordView record_view = view_of(view.record, header_views);
    if (m_settings.jq_filter && !m_settings.jq_filter->matches(record_view)) {
      return std::string();  // --jq: shown only when it matches
    }
    std::string out;
    if (m_settings.jq_output) {
      m_settings.jq_output->append_outputs(out, record_view);
      return out;
    }
    const auto& decode = m_settings.decode;
    if (m_settings.output == InspectOutput::json) {  // the record envelope
      if (decode.decoder && (decode.key || decode.value)) {
        format::make_decoding_envelope_formatter(decode)->append(out, record_view);
      } else {
        format::append_envelope(out, record_view);
      }
      return out;
    }
    for (const bool key : {true, false}) {
      if (!decode.decoder || !(key ? decode.key : decode.value)) {
        continue;
      }
      std::string json;
      if (const auto id = decode.decoder->decode(record_view, key, json)) {
        view.decoded.push_back(MessageView::Decoded{key, *id, std::move(json)});
      }
    }
    return render_table(view, m_settings.width, m_settings.color);
  }

  const InspectSettings& m_settings;
  kafka::Consumer& m_consumer;
  kafka::Client& m_client;
  std::map<kafka::TopicPartition, std::int64_t> m_previous_lag;
  std::chrono::steady_clock::time_point m_previous_time;
};

}  // namespace

Result<void> inspect(const InspectSettings& settings,
                     const config::ResolvedConfig& config,
                     const Log& log,
                     Signals& signals,
                     int output_fd) {
  auto consumer = kafka::Consumer::create(config, log, kafka::ConsumerOptions{});
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  Inspector inspector(settings, **consumer);
  if (!settings.watch) {
    auto text = inspector.render();
    if (!text) {
      return std::move(text).take_error();
    }
    return io::write_text(output_fd, *text);
  }
  // Redraw in place: home the cursor, draw, clear what is left of the old screen.
  while (signals.check() == 0) {
    auto text = inspector.render();
    if (!text) {
      return std::move(text).take_error();
    }
    const std::string stamp = fmt::format("every {}ms, {}  (Ctrl-C to stop)\n",
                                          settings.watch->count(),
                                          format_iso_utc(now_epoch_ms()));
    const int error = io::write_all(output_fd, "\x1b[H\x1b[2J" + stamp + *text);
    if (error == EPIPE) {
      break;  // the reader went away
    }
    if (error != 0) {
      return io::write_failure("stdout", error);
    }
    pollfd fds[1] = {{signals.fd(), POLLIN, 0}};
    ::poll(fds, 1, static_cast<int>(settings.watch->count()));
  }
  return {};
}

}  // namespace evt::ops
