package io.registryreactive.internal.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.RegistryProtocolException;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.model.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestParserTest {

  private static final String DIGEST =
      "sha256:5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9";

  /** As {@code docker push} writes it: three-space indent, a Windows foreign layer with urls. */
  private static final String DOCKER_V2 =
      """
      {
         "schemaVersion": 2,
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1472,
            "digest": "sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b"
         },
         "layers": [
            {
               "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
               "size": 1718332879,
               "digest": "sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35",
               "urls": [
                  "https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35"
               ]
            },
            {
               "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
               "size": 3408729,
               "digest": "sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce"
            }
         ]
      }
      """;

  private static final String DOCKER_LIST =
      """
      {
         "schemaVersion": 2,
         "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
         "manifests": [
            {
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "size": 528,
               "digest": "sha256:4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a",
               "platform": {
                  "architecture": "amd64",
                  "os": "linux"
               }
            },
            {
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "size": 528,
               "digest": "sha256:ef2d127de37b942baad06145e54b0c619a1f22327b2ebbcfbec78f5564afe39d",
               "platform": {
                  "architecture": "arm64",
                  "os": "linux",
                  "variant": "v8"
               }
            },
            {
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "size": 1357,
               "digest": "sha256:e7f6c011776e8db7cd330b54174fd76f7d0216b612387a5ffcfb81e6f0919683",
               "platform": {
                  "architecture": "amd64",
                  "os": "windows",
                  "os.version": "10.0.17763.5576",
                  "os.features": ["win32k"]
               }
            }
         ]
      }
      """;

  /** An SBOM artifact attached to an image (OCI 1.1): empty config, subject, artifactType. */
  private static final String OCI_ARTIFACT =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/spdx+json",
        "config": {
          "mediaType": "application/vnd.oci.empty.v1+json",
          "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
          "size": 2,
          "data": "e30="
        },
        "layers": [
          {
            "mediaType": "application/spdx+json",
            "digest": "sha256:7902699be42c8a8e46fbbb4501726517e86b22c56a189f7625a6da49081b2451",
            "size": 20431,
            "annotations": {
              "org.opencontainers.image.title": "sbom.spdx.json"
            }
          }
        ],
        "subject": {
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "digest": "sha256:2c624232cdd221771294dfbb310aca000a0df6ac8b66b696d90ef06fdefb64a3",
          "size": 856
        },
        "annotations": {
          "org.opencontainers.image.created": "2024-03-01T10:15:30Z",
          "org.example.tool": "syft"
        }
      }
      """;

  /** As BuildKit writes it: two platforms and an attestation manifest for unknown/unknown. */
  private static final String OCI_INDEX =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7",
            "size": 1201,
            "platform": {"architecture": "amd64", "os": "linux"}
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:4a44dc15364204a80fe80e9039455cc1608281820fe2b24f1e5233ade6af1dd5",
            "size": 1201,
            "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:4fc82b26aecb47d2868c4efbe3581732a3e7cbcc6c2efb32062c08170a05eeb8",
            "size": 840,
            "annotations": {
              "vnd.docker.reference.digest": "sha256:19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7",
              "vnd.docker.reference.type": "attestation-manifest"
            },
            "platform": {"architecture": "unknown", "os": "unknown"}
          }
        ],
        "annotations": {
          "org.opencontainers.image.created": "2024-05-02T08:00:00Z"
        },
        "artifactType": "application/vnd.example.bundle",
        "subject": {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "sha256:6b51d431df5d7f141cbececcf79edf3dd861c3b4069f0b11661a3eefacbba918",
          "size": 512
        }
      }
      """;

  /**
   * A signed schema 1 manifest as distribution 2.8 converts schema 2 to without an Accept header.
   */
  private static final String SCHEMA1_SIGNED =
      """
      {
         "schemaVersion": 1,
         "name": "library/alpine",
         "tag": "3.19",
         "architecture": "amd64",
         "fsLayers": [
            {"blobSum": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}
         ],
         "history": [{"v1Compatibility": "{\\"id\\":\\"abc\\"}"}],
         "signatures": [{"header": {"alg": "ES256"}, "signature": "xyz", "protected": "e30"}]
      }
      """;

  private static Manifest parse(String json, String contentType) {
    return ManifestParser.parse(json.getBytes(UTF_8), contentType, DIGEST);
  }

  /** Parses the JSON and checks that it is a manifest of this kind. */
  private static <M extends Manifest> M parseAs(Class<M> kind, String json, String contentType) {
    Manifest manifest = parse(json, contentType);
    assertThat(manifest).isInstanceOf(kind);
    return kind.cast(manifest);
  }

  private static String sha(String hex) {
    return "sha256:" + hex;
  }

  @Test
  void parse_whenDockerManifestV2_readsConfigAndLayers() {
    ImageManifest image = parseAs(ImageManifest.class, DOCKER_V2, MediaTypes.DOCKER_MANIFEST_V2);

    assertThat(image.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_V2);
    assertThat(image.digest()).isEqualTo(DIGEST);
    assertThat(image.schemaVersion()).isEqualTo(2);
    assertThat(image.config())
        .isEqualTo(
            new Descriptor(
                MediaTypes.DOCKER_CONFIG,
                sha("6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b"),
                1472));
    assertThat(image.layers())
        .extracting(Descriptor::digest, Descriptor::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                sha("d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35"),
                1718332879L),
            org.assertj.core.groups.Tuple.tuple(
                sha("4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce"), 3408729L));
    assertThat(image.layers().get(0).urls())
        .containsExactly(
            "https://mcr.microsoft.com/v2/windows/"
                + "servercore/blobs/sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35");
    assertThat(image.layers().get(1).mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER);
    assertThat(image.annotations()).isEmpty();
    assertThat(image.subject()).isEmpty();
    assertThat(image.artifactType()).isEmpty();
  }

  @Test
  void totalSize_whenDockerManifestV2_isConfigPlusLayersPlusManifestBytes() {
    ImageManifest image = (ImageManifest) parse(DOCKER_V2, MediaTypes.DOCKER_MANIFEST_V2);

    long manifestBytes = DOCKER_V2.getBytes(UTF_8).length;
    assertThat(image.size()).isEqualTo(manifestBytes);
    assertThat(image.totalSize()).isEqualTo(1472L + 1718332879L + 3408729L + manifestBytes);
  }

  @Test
  void parse_whenDockerManifestList_readsChildrenWithPlatforms() {
    ImageIndex index = parseAs(ImageIndex.class, DOCKER_LIST, MediaTypes.DOCKER_MANIFEST_LIST);

    assertThat(index.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(index.childDigests())
        .containsExactly(
            sha("4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a"),
            sha("ef2d127de37b942baad06145e54b0c619a1f22327b2ebbcfbec78f5564afe39d"),
            sha("e7f6c011776e8db7cd330b54174fd76f7d0216b612387a5ffcfb81e6f0919683"));
    assertThat(index.manifests())
        .extracting(d -> d.platform().orElseThrow())
        .containsExactly(
            new Platform("amd64", "linux", "", ""),
            new Platform("arm64", "linux", "v8", ""),
            new Platform("amd64", "windows", "", "10.0.17763.5576"));
    assertThat(index.manifests())
        .extracting(Descriptor::mediaType)
        .containsOnly(MediaTypes.DOCKER_MANIFEST_V2);
    assertThat(index.manifests().get(1).platform().orElseThrow()).hasToString("linux/arm64/v8");
    assertThat(index.manifests().get(0).platform().orElseThrow()).hasToString("linux/amd64");
  }

  @Test
  void parse_whenOciArtifactManifest_readsAnnotationsSubjectAndArtifactType() {
    ImageManifest image = (ImageManifest) parse(OCI_ARTIFACT, MediaTypes.OCI_MANIFEST);

    assertThat(image.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(image.artifactType()).contains("application/spdx+json");
    assertThat(image.config().mediaType()).isEqualTo("application/vnd.oci.empty.v1+json");
    assertThat(image.config().size()).isEqualTo(2);
    assertThat(image.subject())
        .contains(
            new Descriptor(
                MediaTypes.OCI_INDEX,
                sha("2c624232cdd221771294dfbb310aca000a0df6ac8b66b696d90ef06fdefb64a3"),
                856));
    assertThat(image.annotations())
        .containsExactly(
            Map.entry("org.opencontainers.image.created", "2024-03-01T10:15:30Z"),
            Map.entry("org.example.tool", "syft"));
    assertThat(image.layers())
        .singleElement()
        .satisfies(
            layer -> {
              assertThat(layer.mediaType()).isEqualTo("application/spdx+json");
              assertThat(layer.annotations())
                  .containsExactly(Map.entry("org.opencontainers.image.title", "sbom.spdx.json"));
            });
  }

  @Test
  void parse_whenOciIndex_readsPlatformsAnnotationsSubjectAndArtifactType() {
    ImageIndex index = (ImageIndex) parse(OCI_INDEX, MediaTypes.OCI_INDEX);

    assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.manifests()).hasSize(3);
    assertThat(index.manifests())
        .extracting(d -> d.platform().map(Platform::toString).orElse(""))
        .containsExactly("linux/amd64", "linux/arm/v7", "unknown/unknown");
    assertThat(index.manifests().get(2).annotations())
        .containsEntry("vnd.docker.reference.type", "attestation-manifest");
    assertThat(index.manifests().get(0).annotations()).isEmpty();
    assertThat(index.annotations())
        .containsExactly(Map.entry("org.opencontainers.image.created", "2024-05-02T08:00:00Z"));
    assertThat(index.artifactType()).contains("application/vnd.example.bundle");
    assertThat(index.subject().map(Descriptor::digest))
        .contains(sha("6b51d431df5d7f141cbececcf79edf3dd861c3b4069f0b11661a3eefacbba918"));
  }

  @Test
  void childDigests_whenIndexListsDigestTwice_listsItOnce() {
    String json =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [
          {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 10,
           "digest": "sha256:19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7",
           "platform": {"architecture": "amd64", "os": "linux"}},
          {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 10,
           "digest": "sha256:19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7",
           "platform": {"architecture": "amd64", "os": "linux", "variant": "v3"}}]}
        """;

    ImageIndex index = (ImageIndex) parse(json, "");

    assertThat(index.manifests()).hasSize(2);
    assertThat(index.childDigests())
        .containsExactly(sha("19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7"));
  }

  /**
   * A document without its {@code mediaType} member: the Content-Type (parameters and case ignored)
   * names the kind, or, with no usable Content-Type, the document's shape does.
   */
  static Stream<Arguments> mediaTypeMemberMissing() {
    return Stream.of(
        Arguments.of(
            "OCI manifest, Content-Type with parameters and upper case",
            OCI_ARTIFACT.replace(
                "\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",", ""),
            "Application/vnd.oci.image.manifest.v1+json; charset=utf-8",
            ImageManifest.class,
            MediaTypes.OCI_MANIFEST),
        Arguments.of(
            "Docker manifest list, Content-Type names it",
            DOCKER_LIST.replace(
                "\"mediaType\": \"application/vnd.docker.distribution.manifest.list.v2+json\",",
                ""),
            MediaTypes.DOCKER_MANIFEST_LIST,
            ImageIndex.class,
            MediaTypes.DOCKER_MANIFEST_LIST),
        Arguments.of(
            "Docker manifest, no Content-Type: its Docker config makes it a Docker manifest",
            DOCKER_V2.replace(
                "\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",", ""),
            "",
            ImageManifest.class,
            MediaTypes.DOCKER_MANIFEST_V2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mediaTypeMemberMissing")
  void parse_whenMediaTypeMemberMissing_takesTheKindFromContentTypeOrShape(
      String description,
      String json,
      String contentType,
      Class<? extends Manifest> kind,
      String mediaType) {
    Manifest manifest = parse(json, contentType);

    assertThat(manifest).isInstanceOf(kind);
    assertThat(manifest.mediaType()).isEqualTo(mediaType);
  }

  @Test
  void parse_whenNoMediaTypeAnywhereAndManifestsMember_isOciIndex() {
    String json =
        OCI_INDEX.replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "");

    Manifest manifest = parse(json, "application/octet-stream");

    assertThat(manifest).isInstanceOf(ImageIndex.class);
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(((ImageIndex) manifest).manifests()).hasSize(3);
  }

  @Test
  void parse_whenNoMediaTypeAnywhereAndOciConfig_isOciManifest() {
    String json =
        """
        {"schemaVersion": 2,
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7,
                    "digest": "sha256:19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7"},
         "layers": []}
        """;

    Manifest manifest = parse(json, "application/json");

    assertThat(manifest).isInstanceOf(ImageManifest.class);
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(((ImageManifest) manifest).layers()).isEmpty();
  }

  @Test
  void parse_whenBodyMediaTypeDisagreesWithContentType_followsBody() {
    Manifest manifest = parse(OCI_INDEX, MediaTypes.OCI_MANIFEST);

    assertThat(manifest).isInstanceOf(ImageIndex.class);
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
  }

  @Test
  void parse_whenUnknownMembers_ignoresThem() {
    String json =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "futureMember": {"nested": [1, 2, {"x": null}]},
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7,
                    "digest": "sha256:19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7",
                    "data": "e30=", "newField": true},
         "layers": [], "annotations": null}
        """;

    ImageManifest image = (ImageManifest) parse(json, MediaTypes.OCI_MANIFEST);

    assertThat(image.config().size()).isEqualTo(7);
    assertThat(image.annotations()).isEmpty();
  }

  @Test
  void parse_whenSchemaVersion1_rejectsAndPointsToAcceptHeader() {
    assertThatThrownBy(() -> parse(SCHEMA1_SIGNED, "application/json"))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining(DIGEST)
        .hasMessageContaining("schema 1 is not supported")
        .hasMessageContaining("Accept");
  }

  @Test
  void parse_whenSchema1ContentTypeAndNoSchemaVersion_rejects() {
    String json = "{\"name\": \"library/alpine\", \"tag\": \"3.19\", \"fsLayers\": []}";

    assertThatThrownBy(() -> parse(json, MediaTypes.DOCKER_SCHEMA1_SIGNED))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("schema 1 is not supported");
  }

  @Test
  void parse_whenSchema1MediaTypeMember_rejects() {
    String json = "{\"schemaVersion\": 2, \"mediaType\": \"" + MediaTypes.DOCKER_SCHEMA1 + "\"}";

    assertThatThrownBy(() -> parse(json, ""))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("schema 1 is not supported");
  }

  @Test
  void parse_withoutDigest_usesSha256OfBody() {
    byte[] body = DOCKER_V2.getBytes(UTF_8);

    Manifest manifest = ManifestParser.parse(body, MediaTypes.DOCKER_MANIFEST_V2);

    assertThat(manifest.digest()).isEqualTo(Digests.sha256(body)).isNotEqualTo(DIGEST);
  }

  @Test
  void raw_whenCallerChangesReturnedBytes_manifestKeepsOriginal() {
    Manifest manifest = parse(DOCKER_V2, "");
    byte[] raw = manifest.raw();
    raw[0] = 'X';

    assertThat(manifest.raw()).isEqualTo(DOCKER_V2.getBytes(UTF_8));
  }

  @Test
  void equals_whenSameDigestAndMediaType_isEqualRegardlessOfContentType() {
    Manifest a = parse(DOCKER_V2, MediaTypes.DOCKER_MANIFEST_V2);
    Manifest b = parse(DOCKER_V2, "");
    Manifest other = ManifestParser.parse(DOCKER_V2.getBytes(UTF_8), "");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(other);
    assertThat(a.toString()).contains(DIGEST, MediaTypes.DOCKER_MANIFEST_V2, "2 layers");
  }

  static Stream<Arguments> malformed() {
    String config =
        "\"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\","
            + " \"size\": 7, \"digest\": \""
            + sha("19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7")
            + "\"}";
    String oci =
        "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", ";
    String index =
        "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.index.v1+json\", ";
    String layer =
        "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"digest\": \""
            + sha("4a44dc15364204a80fe80e9039455cc1608281820fe2b24f1e5233ade6af1dd5")
            + "\"";
    // An OCI manifest whose one layer has this JSON as its size.
    Function<String, String> withLayerSize =
        size -> oci + config + ", \"layers\": [" + layer + ", \"size\": " + size + "}]}";
    return Stream.of(
        Arguments.of("not JSON", "<html><body>502 Bad Gateway</body></html>", "not valid JSON"),
        Arguments.of("truncated", oci + config, "not valid JSON"),
        Arguments.of("trailing garbage", oci + config + ", \"layers\": []} }", "not valid JSON"),
        Arguments.of("empty body", "", "empty"),
        Arguments.of("array root", "[1, 2]", "expected a JSON object but the body is an array"),
        Arguments.of("config missing", oci + "\"layers\": []}", "config is missing"),
        Arguments.of(
            "config not an object",
            oci + "\"config\": \"x\", \"layers\": []}",
            "config must be an object but is a string"),
        Arguments.of("layers missing", oci + config + "}", "layers is missing"),
        Arguments.of(
            "layers not an array",
            oci + config + ", \"layers\": {}}",
            "layers must be an array but is an object"),
        Arguments.of(
            "layer digest missing",
            oci + config + ", \"layers\": [{\"mediaType\": \"x\", \"size\": 1}]}",
            "layers[0].digest is missing"),
        Arguments.of(
            "layer size missing",
            oci + config + ", \"layers\": [" + layer + "}]}",
            "layers[0].size is missing"),
        Arguments.of(
            "size as string",
            withLayerSize.apply("\"12\""),
            "layers[0].size must be a non-negative integer but is a string"),
        Arguments.of(
            "negative size",
            withLayerSize.apply("-1"),
            "layers[0].size must be a non-negative integer but is -1"),
        Arguments.of(
            "fractional size",
            withLayerSize.apply("1.5"),
            "layers[0].size must be a non-negative integer but is 1.5"),
        Arguments.of(
            "size beyond long",
            withLayerSize.apply("92233720368547758070"),
            "layers[0].size must be a non-negative integer"),
        Arguments.of(
            "bad digest",
            oci + config + ", \"layers\": [{\"size\": 1, \"digest\": \"sha256:XYZ\"}]}",
            "layers[0].digest 'sha256:XYZ' is not a valid digest"),
        Arguments.of(
            "digest with path",
            oci + config + ", \"layers\": [{\"size\": 1, \"digest\": \"../../x\"}]}",
            "is not a valid digest"),
        Arguments.of(
            "annotation not a string",
            oci + config + ", \"layers\": [], \"annotations\": {\"a\": 1}}",
            "annotations[\"a\"] must be a string but is a number"),
        Arguments.of(
            "urls not strings",
            oci + config + ", \"layers\": [" + layer + ", \"size\": 1, \"urls\": [true]}]}",
            "layers[0].urls[0] must be a string but is a boolean"),
        Arguments.of(
            "mediaType not a string",
            "{\"schemaVersion\": 2, \"mediaType\": 5}",
            "mediaType must be a string but is a number"),
        Arguments.of(
            "schemaVersion as string",
            "{\"schemaVersion\": \"2\", \"manifests\": []}",
            "schemaVersion must be an integer"),
        Arguments.of(
            "schemaVersion 3",
            "{\"schemaVersion\": 3, \"manifests\": []}",
            "schemaVersion 3 is not supported"),
        Arguments.of("manifests missing", index + "\"layers\": []}", "manifests is missing"),
        Arguments.of(
            "platform not an object",
            index + "\"manifests\": [" + layer + ", \"size\": 1, \"platform\": \"linux/amd64\"}]}",
            "manifests[0].platform must be an object but is a string"),
        Arguments.of(
            "subject without digest",
            oci + config + ", \"layers\": [], \"subject\": {\"size\": 1}}",
            "subject.digest is missing"),
        Arguments.of(
            "unsupported media type",
            "{\"schemaVersion\": 2, \"mediaType\":"
                + " \"application/vnd.oci.artifact.manifest.v1+json\", \"blobs\": []}",
            "mediaType 'application/vnd.oci.artifact.manifest.v1+json' is not"),
        Arguments.of(
            "unrecognisable shape",
            "{\"schemaVersion\": 2, \"blobs\": []}",
            "neither 'manifests' nor 'config' and 'layers'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void parse_whenMalformed_throwsProtocolExceptionNamingDigestAndProblem(
      String name, String json, String problem) {
    assertThatThrownBy(() -> parse(json, ""))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining(DIGEST)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((RegistryProtocolException) e).isRetryable()).isFalse());
  }

  @Test
  void parse_whenMalformedJson_keepsParseFailureAsCauseAndOmitsBody() {
    String secretish = "{\"config\": \"TOKEN-abc123\" ";

    assertThatThrownBy(() -> parse(secretish, ""))
        .isInstanceOf(RegistryProtocolException.class)
        .hasCauseInstanceOf(com.fasterxml.jackson.core.JacksonException.class)
        .hasMessageNotContaining("TOKEN-abc123");
  }

  @Test
  void descriptor_whenCollectionsChangedAfterCreation_keepsCopies() {
    java.util.ArrayList<String> urls = new java.util.ArrayList<>(List.of("https://a"));
    java.util.HashMap<String, String> annotations = new java.util.HashMap<>(Map.of("k", "v"));

    Descriptor descriptor =
        new Descriptor("t", DIGEST, 1, Optional.empty(), annotations, urls, Optional.empty());
    urls.add("https://b");
    annotations.put("k2", "v2");

    assertThat(descriptor.urls()).containsExactly("https://a");
    assertThat(descriptor.annotations()).containsOnlyKeys("k");
  }
}
