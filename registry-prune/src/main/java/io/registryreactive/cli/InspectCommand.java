package io.registryreactive.cli;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inspect}: digest, media type, size, layers or platforms of one image. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show an image's digest, type, size and content.")
final class InspectCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  @Parameters(paramLabel = "REF", description = "repo[:tag] or repo@sha256:...")
  String reference;

  @Option(names = "--output", paramLabel = "text|json", defaultValue = "text", description = "Output format")
  PruneCommand.OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ImageReference ref = ImageReference.parse(reference);
    try (ReactiveRegistryClient client = connection.client(spec.commandLine().getErr())) {
      ImageMetadata meta = client.metadata(ref).block();
      Manifest manifest = client.manifest(ref.withDigest(meta.digest())).block();
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("repository", meta.repository());
      info.put("tag", meta.tag().orElse(null));
      info.put("digest", meta.digest());
      info.put("mediaType", meta.mediaType());
      info.put("manifestSize", manifest.size());
      if (manifest instanceof ImageManifest image) {
        info.put("config", image.config().digest());
        info.put("layers", image.layers().size());
        info.put("totalSize", image.totalSize());
      } else if (manifest instanceof ImageIndex index) {
        List<Map<String, Object>> children = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("digest", d.digest());
          c.put("platform", d.platform().map(Object::toString).orElse(null));
          c.put("size", d.size());
          children.add(c);
        }
        info.put("manifests", children);
      }
      if (output == PruneCommand.OutputFormat.JSON) {
        out.println(Json.write(info));
      } else {
        info.forEach((k, v) -> {
          if (v instanceof List<?> list) {
            out.println(k + ":");
            list.forEach(item -> out.println("  " + item));
          } else {
            out.println(k + ": " + v);
          }
        });
      }
      return ExitCodes.OK;
    }
  }
}
