// SPDX-License-Identifier: MIT
// Protobuf through Debian's libprotobuf: the schema's .proto text is parsed at run time with the
// compiler's Parser into a DescriptorPool; records are DynamicMessages, printed and parsed by
// libprotobuf's own JSON mapping.
#include <google/protobuf/compiler/parser.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>
// The well-known types, so that their descriptors are linked in and registered.
#include <set>

#include <fmt/format.h>

#include "evt/format/json_text.hpp"
#include "evt/schema/codec.hpp"
#include "evt/schema/wire.hpp"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/api.pb.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/empty.pb.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/source_context.pb.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/type.pb.h>
#include <google/protobuf/wrappers.pb.h>

namespace evt::schema {

namespace {

namespace pb = google::protobuf;

class ParseErrors final : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (m_first.empty()) {
      m_first = fmt::format("line {}:{}: {}", line + 1, column + 1, message);
    }
  }
  const std::string& first() const { return m_first; }

 private:
  std::string m_first;
};

class BuildErrors final : public pb::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& filename,
                const std::string& element,
                const pb::Message*,
                ErrorLocation,
                const std::string& message) override {
    if (m_first.empty()) {
      m_first = fmt::format("{}: {}: {}", filename, element, message);
    }
  }
  const std::string& first() const { return m_first; }

 private:
  std::string m_first;
};

Result<pb::FileDescriptorProto> parse_proto(const std::string& text, const std::string& name) {
  // Confluent's serializers may register a schema as a base64 FileDescriptorProto (their
  // "serialized" format) rather than .proto text, and a registry may hand it back as it came.
  if (!text.empty() && text.find_first_of(" \t\n;{") == std::string::npos) {
    if (auto bytes = format::decode_base64(text)) {
      pb::FileDescriptorProto file;
      if (file.ParseFromString(*bytes)) {
        file.set_name(name);
        return file;
      }
    }
  }
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  ParseErrors errors;
  pb::io::Tokenizer tokenizer(&input, &errors);
  pb::compiler::Parser parser;
  parser.RecordErrorsTo(&errors);
  pb::FileDescriptorProto file;
  if (!parser.Parse(&tokenizer, &file)) {
    return fail(ErrorKind::usage,
                fmt::format("the Protobuf schema {} does not parse: {}", name, errors.first()));
  }
  file.set_name(name);
  return file;
}

class ProtobufCodec final : public Codec {
 public:
  ProtobufCodec(std::unique_ptr<pb::DescriptorPool> pool,
                const pb::FileDescriptor* file,
                const pb::Descriptor* encode_type)
      : m_pool(std::move(pool)), m_factory(m_pool.get()), m_file(file), m_encode_type(encode_type) {
    m_print.preserve_proto_field_names = true;
    m_print.always_print_primitive_fields = true;
    m_parse.ignore_unknown_fields = false;
    for (const pb::Descriptor* at = encode_type; at; at = at->containing_type()) {
      m_encode_indexes.insert(m_encode_indexes.begin(), at->index());
    }
  }

  Result<void> to_json(std::string_view payload, std::string& out) override {
    auto indexes = read_message_indexes(payload);
    if (!indexes) {
      return std::move(indexes).take_error();
    }
    const pb::Descriptor* type = nullptr;
    for (int index : *indexes) {
      const int count = type ? type->nested_type_count() : m_file->message_type_count();
      if (index >= count) {
        return fail(
            ErrorKind::usage,
            fmt::format("message index {} is beyond the {} message types there", index, count));
      }
      type = type ? type->nested_type(index) : m_file->message_type(index);
    }
    pb::Message* message = instance(type);
    message->Clear();
    if (!message->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      return fail(ErrorKind::usage, fmt::format("not a Protobuf {} message", type->full_name()));
    }
    m_json.clear();
    const auto status = pb::util::MessageToJsonString(*message, &m_json, m_print);
    if (!status.ok()) {
      return fail(
          ErrorKind::usage,
          fmt::format("{} has no JSON form: {}", type->full_name(), std::string(status.message())));
    }
    out.append(m_json);
    return {};
  }

  Result<void> from_json(std::string_view json, std::string& out) override {
    pb::Message* message = instance(m_encode_type);
    message->Clear();
    const auto status = pb::util::JsonStringToMessage(std::string(json), message, m_parse);
    if (!status.ok()) {
      return fail(ErrorKind::usage,
                  fmt::format("does not match Protobuf message {}: {}",
                              m_encode_type->full_name(),
                              std::string(status.message())));
    }
    if (!message->IsInitialized()) {
      return fail(ErrorKind::usage,
                  fmt::format("field {}: missing (required in {})",
                              message->InitializationErrorString(),
                              m_encode_type->full_name()));
    }
    append_message_indexes(out, m_encode_indexes);
    if (!message->AppendToString(&out)) {
      return fail(ErrorKind::internal, "serializing a Protobuf message failed");
    }
    return {};
  }

 private:
  pb::Message* instance(const pb::Descriptor* type) {
    auto& slot = m_messages[type];
    if (!slot) {
      slot.reset(m_factory.GetPrototype(type)->New());
    }
    return slot.get();
  }

  std::unique_ptr<pb::DescriptorPool> m_pool;
  pb::DynamicMessageFactory m_factory;
  const pb::FileDescriptor* m_file;
  const pb::Descriptor* m_encode_type;
  std::vector<int> m_encode_indexes;
  std::map<const pb::Descriptor*, std::unique_ptr<pb::Message>> m_messages;
  pb::util::JsonPrintOptions m_print;
  pb::util::JsonParseOptions m_parse;
  std::string m_json;
};

// A well-known type's file (google/protobuf/timestamp.proto, ...), from the descriptors compiled
// into libprotobuf. evt links libprotobuf statically, so each is named here to be linked at all.
const pb::FileDescriptor* well_known_file(const std::string& name) {
  static const bool linked = [] {
    const pb::Descriptor* all[] = {pb::Any::descriptor(),
                                   pb::Api::descriptor(),
                                   pb::Duration::descriptor(),
                                   pb::Empty::descriptor(),
                                   pb::FieldMask::descriptor(),
                                   pb::SourceContext::descriptor(),
                                   pb::Struct::descriptor(),
                                   pb::Timestamp::descriptor(),
                                   pb::Type::descriptor(),
                                   pb::DoubleValue::descriptor(),
                                   pb::FileDescriptorProto::descriptor()};
    return all[0] != nullptr;
  }();
  (void)linked;
  return pb::DescriptorPool::generated_pool()->FindFileByName(name);
}

// Adds `name` and its imports to `pool`: from `sources` (the registry's references) or, for the
// well-known types (google/protobuf/timestamp.proto, ...), from the descriptors compiled into
// libprotobuf.
Result<void> add_file(pb::DescriptorPool& pool,
                      const std::string& name,
                      const std::map<std::string, pb::FileDescriptorProto>& sources,
                      std::set<std::string>& visiting) {
  if (pool.FindFileByName(name)) {
    return {};
  }
  pb::FileDescriptorProto proto;
  if (auto source = sources.find(name); source != sources.end()) {
    proto = source->second;
  } else if (const pb::FileDescriptor* builtin = well_known_file(name)) {
    builtin->CopyTo(&proto);
  } else {
    return fail(ErrorKind::usage,
                fmt::format("the Protobuf schema imports {}, which is neither a reference of the "
                            "schema nor a well-known type",
                            name));
  }
  if (!visiting.insert(name).second) {
    return fail(ErrorKind::usage, fmt::format("the Protobuf imports of {} form a cycle", name));
  }
  for (const std::string& dependency : proto.dependency()) {
    EVT_TRY(add_file(pool, dependency, sources, visiting));
  }
  visiting.erase(name);
  BuildErrors errors;
  if (!pool.BuildFileCollectingErrors(proto, &errors)) {
    return fail(ErrorKind::usage,
                fmt::format("the Protobuf schema {} does not build: {}", name, errors.first()));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Codec>> make_protobuf_codec(const Schema& schema,
                                                   const std::vector<ResolvedReference>& references,
                                                   const std::optional<std::string>& message) {
  // libprotobuf logs warnings (a file without a syntax line, ...) to stderr itself; evt reports
  // what matters through its errors.
  static const bool quiet = [] {
    pb::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
  std::map<std::string, pb::FileDescriptorProto> sources;
  for (const ResolvedReference& reference : references) {
    auto proto = parse_proto(reference.schema->text, reference.name);
    if (!proto) {
      return std::move(proto).take_error();
    }
    sources.emplace(reference.name, std::move(*proto));
  }
  const std::string name = schema.id >= 0 ? fmt::format("evt-schema-{}.proto", schema.id)
                                          : fmt::format("evt-{}.proto", schema.subject);
  auto main = parse_proto(schema.text, name);
  if (!main) {
    return std::move(main).take_error();
  }
  sources.emplace(name, std::move(*main));
  auto pool = std::make_unique<pb::DescriptorPool>();
  std::set<std::string> visiting;
  EVT_TRY(add_file(*pool, name, sources, visiting));
  const pb::FileDescriptor* file = pool->FindFileByName(name);
  const pb::Descriptor* encode_type = nullptr;
  if (message) {
    encode_type = pool->FindMessageTypeByName(*message);
    if (!encode_type && !file->package().empty()) {
      encode_type = pool->FindMessageTypeByName(file->package() + "." + *message);
    }
    if (!encode_type || encode_type->file() != file) {
      return fail(ErrorKind::usage,
                  fmt::format("the Protobuf schema has no message type {}", *message));
    }
  } else if (file->message_type_count() > 0) {
    encode_type = file->message_type(0);
  } else {
    return fail(ErrorKind::usage, "the Protobuf schema defines no message type");
  }
  return std::unique_ptr<Codec>(
      std::make_unique<ProtobufCodec>(std::move(pool), file, encode_type));
}

}  // namespace evt::schema
