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
import java.util.Locale;
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
    footerHeading = "%nExamples:%n",
    footer = {
      "  registry-prune inspect myimage:0.1.19 --registry http://127.0.0.1:5000",
      "  registry-prune inspect myimage@sha256:4b1c... --output json"
    },
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
      meta.tag().ifPresent(t -> info.put("tag", t));
      info.put("digest", meta.digest());
      info.put("mediaType", meta.mediaType());
      info.put("manifestSize", manifest.size());
      List<Map<String, Object>> layerRows = new ArrayList<>();
      List<Map<String, Object>> children = new ArrayList<>();
      Readable.ImageConfig config = Readable.ImageConfig.NONE;
      if (manifest instanceof ImageManifest image) {
        config = Readable.config(client, meta.repository(), image.config().digest()).block();
        config.created().ifPresent(c -> info.put("created", c));
        config.platform().ifPresent(p -> info.put("platform", p));
        info.put("config", image.config().digest());
        info.put("layers", image.layers().size());
        info.put("totalSize", image.totalSize());
        for (Descriptor l : image.layers()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("digest", l.digest());
          row.put("mediaType", l.mediaType());
          row.put("size", l.size());
          layerRows.add(row);
        }
        info.put("layerList", layerRows);
        info.put("labels", config.labels());
      } else if (manifest instanceof ImageIndex index) {
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
          c.put("mediaType", d.mediaType());
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
        return ExitCodes.OK;
      }
      String row = "%-11s %s%n";
      out.printf(Locale.ROOT, row, "repository:", meta.repository());
      meta.tag().ifPresent(t -> out.printf(Locale.ROOT, row, "tag:", t));
      out.printf(Locale.ROOT, row, "digest:", meta.digest());
      out.printf(Locale.ROOT, row, "mediaType:", meta.mediaType());
      config.created().ifPresent(c -> out.printf(Locale.ROOT, row, "created:", c));
      config.platform().ifPresent(p -> out.printf(Locale.ROOT, row, "platform:", p));
      if (manifest instanceof ImageManifest image) {
        out.printf(
            Locale.ROOT, row, "size:", Readable.size(image.totalSize()) + " (config and layers)");
        out.printf(Locale.ROOT, row, "config:", image.config().digest());
        if (!config.labels().isEmpty()) {
          out.println("labels:");
          config.labels().forEach((k, v) -> out.printf(Locale.ROOT, "  %s=%s%n", k, v));
        }
        out.printf(Locale.ROOT, "layers: %d%n", layerRows.size());
        String layer = "  %-3s %-71s %10s  %s%n";
        out.printf(Locale.ROOT, layer, "#", "DIGEST", "SIZE", "MEDIA TYPE");
        for (int i = 0; i < layerRows.size(); i++) {
          Map<String, Object> l = layerRows.get(i);
          out.printf(
              Locale.ROOT,
              layer,
              i + 1,
              l.get("digest"),
              Readable.size((Long) l.get("size")),
              l.get("mediaType"));
        }
      } else {
        out.printf(Locale.ROOT, "manifests: %d%n", children.size());
        String child = "  %-16s %-71s %10s  %s%n";
        out.printf(Locale.ROOT, child, "PLATFORM", "DIGEST", "SIZE", "STATUS");
        for (Map<String, Object> c : children) {
          out.printf(
              Locale.ROOT,
              child,
              c.get("platform") == null ? "-" : c.get("platform"),
              c.get("digest"),
              Readable.size((Long) c.get("size")),
              Boolean.TRUE.equals(c.get("missing")) ? "MISSING (404)" : "present");
        }
        if (info.containsKey("missingManifests")) {
          out.println("missingManifests: " + info.get("missingManifests"));
        }
      }
      return ExitCodes.OK;
    }
  }
}
