package io.registryreactive.cli;

import io.registryreactive.NotFoundException;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code inspect}: digest, media type, size, layers or platforms of one image. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Show an image's digest, type, size and content; an index's children missing from the registry are marked.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Parameters(paramLabel = "REF", description = "repo[:tag] or repo@sha256:...")
  String reference;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format")
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
        // A child deleted on its own (a dangling index) is shown, not a reason to fail the whole
        // inspect.
        List<Boolean> missing =
            Flux.fromIterable(index.manifests())
                .flatMapSequential(
                    d ->
                        client
                            .metadata(ImageReference.of(meta.repository(), d.digest()))
                            .map(m -> false)
                            .onErrorResume(NotFoundException.class, e -> Mono.just(true)),
                    8)
                .collectList()
                .block();
        for (int i = 0; i < index.manifests().size(); i++) {
          Descriptor d = index.manifests().get(i);
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("digest", d.digest());
          c.put("platform", d.platform().map(Object::toString).orElse(null));
          c.put("size", d.size());
          c.put("missing", missing.get(i));
          children.add(c);
        }
        info.put("manifests", children);
        long missingCount = missing.stream().filter(m -> m).count();
        if (missingCount > 0) {
          info.put("missingManifests", missingCount);
        }
      }
      if (output == PruneCommand.OutputFormat.JSON) {
        out.println(Json.write(info));
      } else {
        info.forEach(
            (k, v) -> {
              if (v instanceof List<?> list) {
                out.println(k + ":");
                list.forEach(
                    item ->
                        out.println(
                            "  "
                                + item
                                + (item instanceof Map<?, ?> c
                                        && Boolean.TRUE.equals(c.get("missing"))
                                    ? "  MISSING (404)"
                                    : "")));
              } else {
                out.println(k + ": " + v);
              }
            });
      }
      return ExitCodes.OK;
    }
  }
}
