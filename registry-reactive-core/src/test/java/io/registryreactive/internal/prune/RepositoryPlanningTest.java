package io.registryreactive.internal.prune;

import static io.registryreactive.internal.prune.SnapshotBuilder.cosignTag;
import static io.registryreactive.internal.prune.SnapshotBuilder.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each planning phase by itself: what reasons to keep it adds, and that it adds nothing else. */
class RepositoryPlanningTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final String A = digest("a");
  private static final String B = digest("b");
  private static final String C = digest("c");
  private static final String S = digest("sig");

  /** A time within every age rule here. */
  private static final Instant RECENT = NOW.minusSeconds(60);

  private static SnapshotBuilder.RepoBuilder app() {
    return SnapshotBuilder.registry("r").repo("app");
  }

  private static RepositoryPlanning planning(Repo repo, RetentionPolicy policy) {
    return new RepositoryPlanning(repo, policy, NOW, new ArrayList<>());
  }

  @Test
  void tagRules_keepOnlyDigestsOfTagsKeptByName() {
    Repo repo = app().taggedImage("keep", A, RECENT).taggedImage("old", B, RECENT).buildRepo();
    RepositoryPlanning p = planning(repo, RetentionPolicy.builder().keep("app:keep").build());

    p.tagRules();

    assertThat(p.keep).containsOnlyKeys(A);
    assertThat(p.keep.get(A)).containsExactly("whitelisted app:keep");
    assertThat(p.keptAsImage).isEmpty();
  }

  @Test
  void digestWhitelist_keepsAnUntaggedChildAsAnImage() {
    Repo repo = app().tag("multi", A).index(A, B).image(B, RECENT).buildRepo();
    RetentionPolicy policy = RetentionPolicy.builder().keep("app@" + B).build();
    RepositoryPlanning p = planning(repo, policy);

    p.tagRules();
    p.digestWhitelist();

    assertThat(p.keep).containsOnlyKeys(B);
    assertThat(p.keptAsImage).containsExactly(B);
  }

  @Test
  void ageRules_keepTheNewestAndTheUndated_andNothingWithoutAnAgeRule() {
    SnapshotBuilder.RepoBuilder b =
        app()
            .taggedImage("new", A, NOW.minus(Duration.ofDays(1)))
            .taggedImage("old", B, NOW.minus(Duration.ofDays(100)))
            .tag("nodate", C)
            .undatedImage(C);
    RepositoryPlanning aged =
        planning(
            b.buildRepo(), RetentionPolicy.builder().keepNewerThan(Duration.ofDays(30)).build());
    aged.tagRules();
    aged.ageRules();
    assertThat(aged.keep).containsOnlyKeys(A, C);

    RepositoryPlanning byName =
        planning(b.buildRepo(), RetentionPolicy.builder().keepTags("none").build());
    byName.tagRules();
    byName.ageRules();
    assertThat(byName.keep).isEmpty();
  }

  @Test
  void protection_keepsChildrenOfKeptIndexesAndArtifactsOfKeptSubjects() {
    Repo repo =
        app()
            .taggedIndex("multi", A, B)
            .image(B, RECENT)
            .taggedImage(cosignTag(A, "sig"), S, RECENT)
            .taggedImage("other", C, RECENT)
            .buildRepo();
    RepositoryPlanning p = planning(repo, RetentionPolicy.builder().keep("app:multi").build());

    p.tagRules();
    p.attachedArtifacts();
    assertThat(p.keep).containsOnlyKeys(A);
    p.protection();

    assertThat(p.keep).containsOnlyKeys(A, B, S);
    assertThat(p.keep.get(B)).containsExactly("child of kept index " + A);
    assertThat(p.keep.get(S)).containsExactly("attached to kept image " + A);
  }

  @Test
  void protection_whenSubjectIsDeleted_keepsItsArtifactWithAWarningUnlessTheyGoTogether() {
    SnapshotBuilder.RepoBuilder b =
        app()
            .taggedImage("keep", C, RECENT)
            .taggedImage("gone", A, RECENT)
            .taggedImage(cosignTag(A, "sig"), S, RECENT);
    List<String> warnings = new ArrayList<>();
    RepositoryPlanning left =
        new RepositoryPlanning(
            b.buildRepo(), RetentionPolicy.builder().keep("app:keep").build(), NOW, warnings);
    left.tagRules();
    left.attachedArtifacts();
    left.protection();
    assertThat(left.keep).containsOnlyKeys(C, S);
    assertThat(warnings).singleElement().asString().contains("app@" + S, "left behind");

    RepositoryPlanning together =
        planning(
            b.buildRepo(),
            RetentionPolicy.builder().keep("app:keep").deleteAttachedArtifacts(true).build());
    together.tagRules();
    together.attachedArtifacts();
    together.protection();
    assertThat(together.keep).containsOnlyKeys(C);
  }
}
