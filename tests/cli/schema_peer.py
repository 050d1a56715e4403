"""The independent side of evt's schema tests: confluent-kafka's own serializers (AvroSerializer,
ProtobufSerializer, JSONSerializer and their deserializers, from PyPI, in the venv that
scripts/schema-peer.sh makes).

  schema_peer.py register REGISTRY SUBJECT TYPE FILE [NAME=SUBJECT@VERSION...]  prints the id
  schema_peer.py write BROKERS TOPIC REGISTRY TYPE FILE [MESSAGE]
      JSON values on stdin, one a line; each is serialized (its schema registered as
      TOPIC-value) and produced
  schema_peer.py read BROKERS TOPIC REGISTRY TYPE FILE COUNT [MESSAGE]
      reads COUNT records from the beginning and prints each value deserialized, one JSON a line
"""
import base64
import json
import os
import subprocess
import sys
import tempfile


def client(url):
    from confluent_kafka.schema_registry import SchemaRegistryClient
    return SchemaRegistryClient({"url": url})


def protobuf_class(path, message):
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", os.path.dirname(path),
                        "--include_imports", "--descriptor_set_out=" + out, path], check=True)
        files = descriptor_pb2.FileDescriptorSet.FromString(open(out, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for f in files.file:
        pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(message))


def serializer(url, kind, path, message):
    from confluent_kafka.schema_registry.avro import AvroSerializer
    from confluent_kafka.schema_registry.json_schema import JSONSerializer
    from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
    registry = client(url)
    text = open(path).read()
    if kind == "avro":
        return AvroSerializer(registry, text), None
    if kind == "json":
        return JSONSerializer(text, registry), None
    cls = protobuf_class(path, message)
    return ProtobufSerializer(cls, registry, {"use.deprecated.format": False}), cls


def deserializer(url, kind, path, message):
    """The writer's schema comes from the registry by the record's id."""
    from confluent_kafka.schema_registry.avro import AvroDeserializer
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer
    from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
    if kind == "avro":
        return AvroDeserializer(client(url)), None
    if kind == "json":
        return JSONDeserializer(open(path).read()), None
    cls = protobuf_class(path, message)
    return ProtobufDeserializer(cls, {"use.deprecated.format": False}), cls


def main():
    command = sys.argv[1]
    if command == "register":
        from confluent_kafka.schema_registry import Schema, SchemaReference
        url, subject, kind, path = sys.argv[2:6]
        refs = []
        for ref in sys.argv[6:]:
            name, rest = ref.split("=", 1)
            ref_subject, version = rest.rsplit("@", 1)
            refs.append(SchemaReference(name, ref_subject, int(version)))
        print(client(url).register_schema(subject, Schema(open(path).read(), kind.upper(), refs)))
        return
    from confluent_kafka.serialization import MessageField, SerializationContext
    brokers, topic, url, kind, path = sys.argv[2:7]
    if command == "write":
        from confluent_kafka import Producer
        message = sys.argv[7] if len(sys.argv) > 7 else None
        serialize, cls = serializer(url, kind, path, message)
        producer = Producer({"bootstrap.servers": brokers})
        for line in sys.stdin:
            # {"$bytes": BASE64} stands for bytes (Avro bytes and fixed).
            value = json.loads(line, object_hook=lambda o: base64.b64decode(o["$bytes"])
                               if list(o) == ["$bytes"] else o)
            if cls is not None:
                from google.protobuf import json_format
                value = json_format.ParseDict(value, cls())
            data = serialize(value, SerializationContext(topic, MessageField.VALUE))
            producer.produce(topic, value=data)
        if producer.flush(30) != 0:
            sys.exit("not all records delivered")
        return
    if command == "read":
        from confluent_kafka import Consumer
        count = int(sys.argv[7])
        message = sys.argv[8] if len(sys.argv) > 8 else None
        deserialize, cls = deserializer(url, kind, path, message)
        consumer = Consumer({"bootstrap.servers": brokers, "group.id": "evt-schema-peer",
                             "auto.offset.reset": "earliest", "enable.auto.commit": False})
        consumer.subscribe([topic])
        seen = 0
        while seen < count:
            record = consumer.poll(30)
            if record is None:
                sys.exit("timed out after %d records" % seen)
            if record.error():
                continue
            value = deserialize(record.value(), SerializationContext(topic, MessageField.VALUE))
            if cls is not None:
                from google.protobuf import json_format
                value = json_format.MessageToDict(value, preserving_proto_field_name=True)
            print(json.dumps(value, sort_keys=True, default=lambda b: {"bytes": list(b)}))
            seen += 1
        consumer.close()
        return
    sys.exit("unknown command " + command)


main()
