package io.registryreactive.internal.prune;

import static io.registryreactive.internal.prune.SnapshotBuilder.blob;
import static io.registryreactive.internal.prune.SnapshotBuilder.cosignTag;
import static io.registryreactive.internal.prune.SnapshotBuilder.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.DigestDecision.Action;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrunePlannerTest {

  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final String HOST = "127.0.0.1:5000";

  private static final String A = digest("a");
  private static final String B = digest("b");
  private static final String C = digest("c");
  private static final String D = digest("d");

  // ---------------------------------------------------------------- whitelist and shared digests

  @Test
  void plan_whenTagWhitelisted_keepsItsDigestAndDeletesTheOthers() {
    RegistrySnapshot snapshot =
        app().taggedImage("1.0", A, days(3)).taggedImage("2.0", B, days(2)).build();

    PrunePlan plan = plan(snapshot, whitelist("app:1.0"));

    assertKept(plan, A, "whitelisted app:1.0");
    assertDeleted(plan, B);
    assertThat(app(plan).tagsToDelete()).containsExactly("2.0");
  }

  @Test
  void plan_whenUnlistedTagSharesDigestWithWhitelistedTag_keepsDigestAndReportsTheTagAsProtected() {
    RegistrySnapshot snapshot =
        app()
            .tag("1.0", A)
            .tag("dev", A)
            .taggedImage("latest", A, days(3))
            .taggedImage("old", B, days(9))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:1.0"));

    DigestDecision shared = decision(plan, A);
    assertThat(shared.action()).isEqualTo(Action.KEEP);
    assertThat(shared.tags()).containsExactly("1.0", "dev", "latest");
    assertThat(shared.protectedTags()).containsExactly("dev", "latest");
    assertThat(app(plan).tagsToDelete()).containsExactly("old");
    assertThat(plan.totals().digestsProtected()).isEqualTo(1);
    assertThat(plan.totals().tagsKept()).isEqualTo(3);
  }

  @Test
  void plan_whenEveryTagOnDigestIsDeletable_deletesTheDigestOnceWithAllItsTags() {
    RegistrySnapshot snapshot =
        app().taggedImage("keep", A, days(1)).tag("x", B).taggedImage("y", B, days(2)).build();

    PrunePlan plan = plan(snapshot, whitelist("app:keep"));

    assertThat(app(plan).deletions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.digest()).isEqualTo(B);
              assertThat(d.tags()).containsExactly("x", "y");
              assertThat(d.protectedTags()).isEmpty();
              assertThat(d.reasons()).containsExactly("no rule keeps any of its tags");
            });
    assertThat(plan.totals().tagsToDelete()).isEqualTo(2);
    assertThat(plan.totals().digestsProtected()).isZero();
  }

  @Test
  void plan_whenDigestWhitelisted_keepsDigestAndEveryTagOnIt() {
    RegistrySnapshot snapshot =
        app().tag("a1", A).taggedImage("a2", A, days(1)).taggedImage("b", B, days(2)).build();

    PrunePlan plan = plan(snapshot, whitelist("app@" + A));

    DigestDecision kept = decision(plan, A);
    assertThat(kept.action()).isEqualTo(Action.KEEP);
    assertThat(kept.reasons()).contains("whitelisted app@" + A);
    assertThat(app(plan).tagsToDelete()).containsExactly("b");
  }

  @Test
  void plan_whenBareRepositoryWhitelisted_keepsAllOfItAndPrunesOtherRepositories() {
    RegistrySnapshot snapshot =
        snapshot()
            .repo("tools")
            .tag("1", A)
            .tag("2", B)
            .image(A, days(1))
            .image(B, days(400))
            .repo("app")
            .taggedImage("1", C, days(1))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("tools"));

    assertThat(repo(plan, "tools").deletions()).isEmpty();
    assertThat(decision(plan, "tools", B).reasons())
        .containsExactly("whitelisted repository tools");
    assertThat(app(plan).tagsToDelete()).containsExactly("1");
  }

  @Test
  void plan_whenSameTagWhitelistedInAnotherRepository_doesNotKeepItHere() {
    RegistrySnapshot snapshot =
        app().taggedImage("1.0", A, days(1)).repo("app/sub").taggedImage("1.0", B, days(1)).build();

    PrunePlan plan = plan(snapshot, whitelist("app:1.0"));

    assertKept(plan, A);
    assertThat(decision(plan, "app/sub", B).action()).isEqualTo(Action.DELETE);
  }

  @Test
  void plan_whenWhitelistEntryCarriesThisRegistryHost_keepsTheTag() {
    RegistrySnapshot snapshot =
        snapshot()
            .repo("team/app")
            .taggedImage("1", A, days(1))
            .taggedImage("2", B, days(1))
            .build();

    PrunePlan plan = plan(snapshot, whitelist(HOST + "/team/app:1"));

    assertThat(decision(plan, "team/app", A).action()).isEqualTo(Action.KEEP);
    assertThat(decision(plan, "team/app", B).action()).isEqualTo(Action.DELETE);
  }

  @Test
  void plan_whenWhitelistIsEmpty_deletesEveryTag() {
    RegistrySnapshot snapshot =
        app().tag("1", A).image(A, days(1)).tag("2", B).image(B, days(1)).build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.whitelist(List.of(), HOST));

    assertThat(app(plan).tagsToDelete()).containsExactly("1", "2");
    assertThat(plan.totals().tagsKept()).isZero();
  }

  // ---------------------------------------------------------------- indexes

  @Test
  void plan_whenIndexKept_keepsItsUntaggedChildrenAsChildrenOfKeptIndex() {
    RegistrySnapshot snapshot =
        app().tag("1", A).index(A, B, C).image(B, days(2)).image(C, days(3)).build();

    PrunePlan plan = plan(snapshot, whitelist("app:1"));

    assertThat(app(plan).deletions()).isEmpty();
    assertThat(decision(plan, B).reasons()).containsExactly("child of kept index " + A);
    assertThat(decision(plan, C).reasons()).containsExactly("child of kept index " + A);
    assertThat(decision(plan, A).children()).containsExactly(B, C);
    assertThat(decision(plan, B).tags()).isEmpty();
  }

  @Test
  void plan_whenChildOfKeptIndexHasItsOwnUnlistedTag_keepsChildAndReportsItsTagAsProtected() {
    RegistrySnapshot snapshot =
        app()
            .taggedIndex("1", A, B, C)
            .image(B, days(2))
            .image(C, days(3))
            .tag("1-amd64", B)
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:1"));

    DigestDecision child = decision(plan, B);
    assertThat(child.action()).isEqualTo(Action.KEEP);
    assertThat(child.reasons()).containsExactly("child of kept index " + A);
    assertThat(child.protectedTags()).containsExactly("1-amd64");
    assertThat(app(plan).tagsToDelete()).isEmpty();
  }

  @Test
  void plan_whenNestedIndexKept_protectsGrandchildrenTransitively() {
    String inner = digest("inner");
    RegistrySnapshot snapshot =
        app()
            .taggedIndex("1", A, inner, D)
            .index(inner, B, C)
            .image(B, days(2))
            .image(C, days(3))
            .image(D, days(4))
            .tag("b-only", B)
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:1"));

    assertThat(app(plan).deletions()).isEmpty();
    assertThat(decision(plan, inner).reasons()).containsExactly("child of kept index " + A);
    assertThat(decision(plan, B).reasons()).containsExactly("child of kept index " + inner);
    assertKept(plan, C);
    assertKept(plan, D);
  }

  @Test
  void plan_whenIndexDeleted_deletesItsUntaggedChildrenToo() {
    RegistrySnapshot snapshot =
        app()
            .taggedIndex("old", A, B, C)
            .images(days(20), B, C)
            .taggedImage("new", D, days(1))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:new"));

    assertThat(app(plan).deletions())
        .extracting(DigestDecision::digest)
        .containsExactlyInAnyOrder(A, B, C);
    assertThat(decision(plan, B).reasons())
        .containsExactly("child of a deleted index; no kept index refers to it");
    assertThat(plan.totals().digestsToDelete()).isEqualTo(3);
    assertThat(plan.totals().tagsToDelete()).isEqualTo(1);
  }

  @Test
  void plan_whenDeletedIndexSharesChildWithKeptIndex_keepsOnlyTheSharedChild() {
    String kept = digest("kept-index");
    RegistrySnapshot snapshot =
        app()
            .taggedIndex("old", A, B, C)
            .images(days(20), B, C)
            .taggedIndex("new", kept, C, D)
            .image(D, days(1))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:new"));

    assertThat(app(plan).deletions())
        .extracting(DigestDecision::digest)
        .containsExactlyInAnyOrder(A, B);
    assertThat(decision(plan, C).reasons()).containsExactly("child of kept index " + kept);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void plan_whenWhitelistedDigestIsUntaggedChildOfDeletedIndex_keepsTheChild(
      boolean deleteAttached) {
    RegistrySnapshot snapshot =
        app().tag("old", A).index(A, B, C).image(B, days(20)).image(C, days(20)).build();
    RetentionPolicy policy =
        RetentionPolicy.builder()
            .registryHost(HOST)
            .keep("app@" + B)
            .deleteAttachedArtifacts(deleteAttached)
            .build();

    PrunePlan plan = plan(snapshot, policy);

    assertKept(plan, B);
    assertThat(decision(plan, B).reasons()).contains("whitelisted app@" + B);
    assertThat(app(plan).deletions())
        .extracting(DigestDecision::digest)
        .containsExactlyInAnyOrder(A, C);
  }

  // ---------------------------------------------------------------- tag patterns

  static Stream<Arguments> tagPatterns() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "keepTags keeps only full matches",
                RetentionPolicy.builder().keepTags("v\\d+").build()),
            List.of("v1", "v1-rc", "xv1"),
            List.of("v1-rc", "xv1"),
            A,
            "tag matches keep pattern v\\d+"),
        Arguments.of(
            Named.of(
                "deleteOnlyTags deletes only full matches",
                RetentionPolicy.builder().deleteOnlyTags("pr-\\d+").build()),
            List.of("pr-12", "pr-12-fix", "main"),
            List.of("pr-12"),
            C,
            "tag does not match delete pattern"));
  }

  /** Tags on A, B and C; {@code explained} is planned for {@code reason}. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tagPatterns")
  void plan_whenTagPattern_matchesWholeTagsOnly(
      RetentionPolicy policy,
      List<String> tags,
      List<String> deleted,
      String explained,
      String reason) {
    RegistrySnapshot snapshot =
        app()
            .taggedImage(tags.get(0), A, days(1))
            .taggedImage(tags.get(1), B, days(1))
            .taggedImage(tags.get(2), C, days(1))
            .build();

    PrunePlan plan = plan(snapshot, policy);

    assertThat(app(plan).tagsToDelete()).containsExactlyElementsOf(deleted);
    assertThat(decision(plan, explained).reasons()).containsExactly(reason);
  }

  @Test
  void plan_whenPolicyExcludesARepositoryOfTheSnapshot_stillPlansIt() {
    // Repository filters belong to the collector: whatever is in the snapshot is planned.
    RegistrySnapshot snapshot = app().tag("pr-1", A).image(A, days(1)).build();
    RetentionPolicy policy =
        RetentionPolicy.builder().excludeRepositories("app").deleteOnlyTags("pr-.*").build();

    PrunePlan plan = plan(snapshot, policy);

    assertThat(policy.coversRepository("app")).isFalse();
    assertThat(app(plan).tagsToDelete()).containsExactly("pr-1");
  }

  // ---------------------------------------------------------------- age rules

  @Test
  void plan_whenKeepLast_keepsTheNewestImagesOfTheRepository() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage("a", A, days(4))
            .taggedImage("b", B, days(1))
            .taggedImage("c", C, days(3))
            .taggedImage("d", D, days(2))
            .build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.builder().keepLast(2).build());

    assertThat(app(plan).tagsToDelete()).containsExactly("a", "c");
    assertThat(decision(plan, B).reasons()).containsExactly("among the 2 newest images");
    assertThat(decision(plan, D).created()).contains(days(2));
  }

  @Test
  void plan_whenKeepLastScopedToTagPattern_countsOnlyImagesWithAMatchingTag() {
    String e = digest("e");
    RegistrySnapshot snapshot =
        prBuilds()
            .taggedImage("pr-3", C, days(3))
            .taggedImage("main-1", D, days(1))
            .taggedImage("main-2", e, days(2))
            .build();

    PrunePlan plan =
        plan(
            snapshot,
            RetentionPolicy.builder()
                .deleteOnlyTags("(pr|main)-.*")
                .keepLast(2, "pr-.*")
                .keepLast(1, "main-.*")
                .build());

    // Unscoped keep-last 2 would keep D and e (the newest overall) and no PR build.
    assertThat(app(plan).tagsToDelete()).containsExactlyInAnyOrder("pr-1", "main-2");
    assertThat(decision(plan, C).reasons())
        .containsExactly("among the 2 newest images with a tag matching pr-.*");
    assertThat(decision(plan, D).reasons())
        .containsExactly("among the 1 newest images with a tag matching main-.*");
  }

  @Test
  void plan_whenScopedAndUnscopedKeepLast_keepsWhatEitherKeeps() {
    RegistrySnapshot snapshot = prBuilds().taggedImage("main", C, days(1)).build();

    PrunePlan plan =
        plan(snapshot, RetentionPolicy.builder().keepLast(1).keepLast(1, "pr-.*").build());

    assertThat(app(plan).tagsToDelete()).containsExactly("pr-1");
  }

  @Test
  void plan_whenKeepLastScoped_undatedImagesAreStillKept() {
    RegistrySnapshot snapshot = prBuilds().taggedUndatedImage("other", C).build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.builder().keepLast(1, "pr-.*").build());

    assertThat(app(plan).tagsToDelete()).containsExactly("pr-1");
    assertThat(decision(plan, C).undated()).isTrue();
  }

  @Test
  void plan_whenKeepLastTies_keepsTheSmallerDigestWhateverTheTagNames() {
    String small = A.compareTo(B) < 0 ? A : B;
    String large = small.equals(A) ? B : A;
    Instant same = days(5);
    RegistrySnapshot snapshot =
        app().taggedImage("zzz", small, same).taggedImage("aaa", large, same).build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.builder().keepLast(1).build());

    assertKept(plan, small);
    assertDeleted(plan, large);
  }

  @Test
  void plan_whenKeepLast_countsPerRepository() {
    RegistrySnapshot snapshot =
        snapshot()
            .repo("one")
            .taggedImage("new", A, days(1))
            .taggedImage("old", B, days(100))
            .repo("two")
            .taggedImage("new", C, days(50))
            .taggedImage("old", D, days(60))
            .build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.builder().keepLast(1).build());

    assertThat(repo(plan, "one").tagsToDelete()).containsExactly("old");
    assertThat(repo(plan, "two").tagsToDelete()).containsExactly("old");
  }

  @Test
  void plan_whenKeepLast_datesIndexByItsNewestChildAndCountsItOnce() {
    RegistrySnapshot snapshot =
        app()
            .taggedIndex("multi", A, B, C)
            .image(B, days(30))
            .image(C, days(2))
            .taggedImage("single", D, days(5))
            .build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.builder().keepLast(1).build());

    assertThat(decision(plan, A).created()).contains(days(2));
    assertThat(decision(plan, A).reasons()).containsExactly("among the 1 newest images");
    assertThat(decision(plan, B).reasons()).containsExactly("child of kept index " + A);
    assertThat(app(plan).tagsToDelete()).containsExactly("single");
  }

  @Test
  void plan_whenKeepLast_doesNotCountSignaturesAsImages() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage("new", A, days(5))
            .taggedImage("old", B, days(10))
            .taggedImage(cosignTag(B, "sig"), C, days(1))
            .build();

    PrunePlan plan =
        plan(snapshot, RetentionPolicy.builder().keepLast(1).deleteAttachedArtifacts(true).build());

    assertKept(plan, A);
    assertThat(app(plan).tagsToDelete()).containsExactly("old", cosignTag(B, "sig"));
  }

  @Test
  void plan_whenKeepNewerThan_keepsImagesYoungerThanTheAgeAtNow() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage("fresh", A, NOW.minus(Duration.ofDays(7)).plusSeconds(1))
            .taggedImage("exactly", B, NOW.minus(Duration.ofDays(7)))
            .taggedImage("stale", C, days(30))
            .build();

    PrunePlan plan =
        plan(snapshot, RetentionPolicy.builder().keepNewerThan(Duration.ofDays(7)).build());

    assertThat(decision(plan, A).reasons()).containsExactly("newer than PT168H");
    assertThat(app(plan).tagsToDelete()).containsExactly("exactly", "stale");
  }

  @Test
  void plan_whenKeepNewerThan_measuresFromTheGivenNowNotTheClock() {
    RegistrySnapshot snapshot =
        app().taggedImage("2020", A, Instant.parse("2020-03-01T00:00:00Z")).build();
    RetentionPolicy policy = RetentionPolicy.builder().keepNewerThan(Duration.ofDays(7)).build();

    PrunePlan then = PrunePlanner.plan(snapshot, policy, Instant.parse("2020-03-02T00:00:00Z"));
    PrunePlan later = PrunePlanner.plan(snapshot, policy, Instant.parse("2020-03-09T00:00:00Z"));

    assertKept(then, A);
    assertDeleted(later, A);
  }

  @Test
  void plan_whenUndatedImageHasATagPushTime_datesItByThePushTimeAndSaysSo() {
    RegistrySnapshot built =
        app()
            .taggedImage("new", A, days(1))
            .tag("repro-old", B)
            .taggedImage("repro-moved", B, Instant.EPOCH)
            .taggedUndatedImage("repro-none", C)
            .taggedUndatedImage("repro-1970", D)
            .build();
    RegistrySnapshot snapshot =
        new RegistrySnapshot(
            built.registry(),
            built.takenAt(),
            List.of(
                built
                    .repositories()
                    .get(0)
                    .withTagPushTimes(
                        java.util.Map.of(
                            "repro-old",
                            days(90),
                            "repro-moved",
                            days(3),
                            "new",
                            days(50),
                            "repro-1970",
                            Instant.EPOCH))));

    PrunePlan plan =
        plan(snapshot, RetentionPolicy.builder().keepNewerThan(Duration.ofDays(30)).build());

    DigestDecision b = decision(plan, B);
    // The newest push of any of its tags: an age rule errs towards keeping.
    assertThat(b.created()).contains(days(3));
    assertThat(b.dateSource()).isEqualTo(DigestDecision.DateSource.PUSH_TIME);
    assertThat(b.undated()).isFalse();
    assertThat(b.reasons()).containsExactly("newer than PT720H");
    // A real config date wins over the push time.
    assertThat(decision(plan, A).dateSource()).isEqualTo(DigestDecision.DateSource.CONFIG);
    assertThat(decision(plan, A).created()).contains(days(1));
    // No push time, or a 1970 one: still undated, still kept.
    assertThat(decision(plan, C).undated()).isTrue();
    assertThat(decision(plan, C).dateSource()).isEqualTo(DigestDecision.DateSource.NONE);
    assertThat(decision(plan, D).undated()).isTrue();
    assertKept(plan, D);
  }

  @Test
  void plan_whenUndatedImageIsOldByPushTime_deletesIt() {
    RegistrySnapshot built =
        app().taggedImage("new", A, days(1)).taggedImage("repro", B, Instant.EPOCH).build();
    RegistrySnapshot snapshot =
        new RegistrySnapshot(
            built.registry(),
            built.takenAt(),
            List.of(
                built.repositories().get(0).withTagPushTimes(java.util.Map.of("repro", days(90)))));

    PrunePlan plan =
        plan(snapshot, RetentionPolicy.builder().keepNewerThan(Duration.ofDays(30)).build());

    assertThat(app(plan).tagsToDelete()).containsExactly("repro");
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void plan_whenIndexDatedByChild_takesTheChildsDateSource() {
    RegistrySnapshot built =
        app().tag("multi", A).index(A, B, C).image(B, days(2)).image(C, days(4)).build();
    Repo r = built.repositories().get(0);
    java.util.Map<String, RegistrySnapshot.ManifestInfo> infos =
        new java.util.HashMap<>(r.manifests());
    RegistrySnapshot.ManifestInfo b = infos.get(B);
    infos.put(
        B,
        new RegistrySnapshot.ManifestInfo(
            b.digest(),
            b.mediaType(),
            b.size(),
            b.children(),
            b.blobs(),
            b.created(),
            DigestDecision.DateSource.ANNOTATION));
    RegistrySnapshot snapshot =
        new RegistrySnapshot(
            built.registry(),
            built.takenAt(),
            List.of(new Repo(r.name(), r.tags(), infos, r.referrers())));

    PrunePlan plan = plan(snapshot, RetentionPolicy.builder().keepLast(1).build());

    assertThat(decision(plan, A).created()).contains(days(2));
    assertThat(decision(plan, A).dateSource()).isEqualTo(DigestDecision.DateSource.ANNOTATION);
  }

  static Stream<Optional<Instant>> unusableDates() {
    return Stream.of(
        Optional.empty(),
        Optional.of(Instant.EPOCH),
        Optional.of(Instant.parse("1970-12-31T23:59:59Z")),
        Optional.of(Instant.parse("0001-01-01T00:00:00Z")));
  }

  @ParameterizedTest
  @MethodSource("unusableDates")
  void plan_whenAgeRuleAndImageUndated_keepsItReportsItUndatedAndWarns(Optional<Instant> created) {
    SnapshotBuilder.RepoBuilder repo =
        app().taggedImage("new", A, days(1)).taggedImage("old", B, days(100)).tag("repro", C);
    RegistrySnapshot snapshot =
        (created.isPresent() ? repo.image(C, created.get()) : repo.undatedImage(C)).build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.builder().keepLast(1).build());

    DigestDecision undated = decision(plan, C);
    assertThat(undated.action()).isEqualTo(Action.KEEP);
    assertThat(undated.undated()).isTrue();
    assertThat(undated.reasons()).singleElement().asString().contains("undated");
    assertThat(app(plan).tagsToDelete()).containsExactly("old");
    assertThat(plan.totals().undated()).isEqualTo(1);
    assertThat(plan.warnings())
        .singleElement()
        .asString()
        .startsWith("app: 1 image(s) have no usable creation time");
  }

  @ParameterizedTest
  @MethodSource("unusableDates")
  void plan_whenWhitelistOnlyAndImageUndated_deletesItWithoutWarning(Optional<Instant> created) {
    SnapshotBuilder.RepoBuilder repo = app().tag("keep", A).image(A, days(1)).tag("repro", C);
    RegistrySnapshot snapshot =
        (created.isPresent() ? repo.image(C, created.get()) : repo.undatedImage(C)).build();

    PrunePlan plan = plan(snapshot, whitelist("app:keep"));

    assertDeleted(plan, C);
    assertThat(decision(plan, C).undated()).isTrue();
    assertThat(plan.totals().undated()).isEqualTo(1);
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void plan_whenIndexChildrenAllDated1970_keepsTheIndexAsUndatedUnderAgeRule() {
    RegistrySnapshot snapshot =
        app()
            .taggedIndex("repro", A, B, C)
            .images(Instant.EPOCH, B, C)
            .taggedImage("old", D, days(100))
            .build();

    PrunePlan plan =
        plan(snapshot, RetentionPolicy.builder().keepNewerThan(Duration.ofDays(1)).build());

    assertThat(decision(plan, A).undated()).isTrue();
    assertKept(plan, A);
    assertKept(plan, B);
    assertThat(app(plan).tagsToDelete()).containsExactly("old");
  }

  // ---------------------------------------------------------------- rules combine with OR

  @Test
  void plan_whenSeveralRules_keepsWhatAnyRuleKeepsAndListsEveryReason() {
    String e = digest("e");
    RegistrySnapshot snapshot =
        app()
            .taggedImage("release-1", A, days(300))
            .taggedImage("pinned", B, days(200))
            .tag("nightly-3", C)
            .taggedImage("release-2", C, days(1))
            .taggedImage("nightly-2", D, days(2))
            .taggedImage("nightly-1", e, days(3))
            .build();
    RetentionPolicy policy =
        RetentionPolicy.builder()
            .registryHost(HOST)
            .keep("app:pinned")
            .keepTags("release-.*")
            .keepLast(1)
            .build();

    PrunePlan plan = plan(snapshot, policy);

    assertThat(app(plan).tagsToDelete()).containsExactly("nightly-1", "nightly-2");
    assertThat(decision(plan, C).reasons())
        .containsExactlyInAnyOrder(
            "tag matches keep pattern release-.*", "among the 1 newest images");
    assertKept(plan, A);
    assertKept(plan, B);
  }

  // ---------------------------------------------------------------- attached artifacts

  /**
   * The two ways an artifact (B) attaches to an image (A, tagged 1): a cosign tag, or a referrer;
   * with the tags of both, and why B goes when A does and deleteAttachedArtifacts is on.
   */
  static Stream<Arguments> attachments() {
    return Stream.of(
        Arguments.of(
            Named.of("cosign signature tag", signedImage()),
            List.of("1", cosignTag(A, "sig")),
            "no rule keeps any of its tags"),
        Arguments.of(
            Named.of("referrer (referrers API)", imageWithReferrer()),
            List.of("1"),
            "attached to a deleted image (deleteAttachedArtifacts is on)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attachments")
  void plan_whenArtifactOfKeptImage_keepsTheArtifact(SnapshotBuilder.RepoBuilder attached) {
    PrunePlan plan = plan(attached.build(), whitelist("app:1"));

    assertThat(decision(plan, B).reasons()).containsExactly("attached to kept image " + A);
    assertThat(decision(plan, A).attached()).containsExactly(B);
    assertThat(app(plan).deletions()).isEmpty();
    assertThat(plan.warnings()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attachments")
  void plan_whenArtifactOfDeletedImageAndDeleteAttachedArtifacts_deletesBoth(
      SnapshotBuilder.RepoBuilder attached, List<String> tags, String artifactReason) {
    RetentionPolicy policy =
        RetentionPolicy.builder().allowDeleteAll(true).deleteAttachedArtifacts(true).build();

    PrunePlan plan = plan(attached.build(), policy);

    assertThat(app(plan).deletions())
        .extracting(DigestDecision::digest)
        .containsExactlyInAnyOrder(A, B);
    assertThat(app(plan).tagsToDelete()).containsExactlyElementsOf(tags);
    assertThat(decision(plan, B).reasons()).containsExactly(artifactReason);
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void plan_whenCosignSignatureOfDeletedImage_keepsAndWarnsByDefault() {
    RegistrySnapshot snapshot = signedImage().taggedImage(cosignTag(A, "att"), C, days(1)).build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.whitelist(List.of(), HOST));

    assertThat(app(plan).tagsToDelete()).containsExactly("1");
    assertKept(plan, B);
    assertKept(plan, C);
    assertThat(plan.warnings())
        .hasSize(2)
        .allSatisfy(w -> assertThat(w).contains("attached to deleted image " + A));
  }

  @Test
  void plan_whenKeptImageHasAttachedIndex_keepsTheIndexChildrenToo() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage("1", A, days(1))
            .taggedIndex(cosignTag(A, "att"), B, C, D)
            .images(days(1), C, D)
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:1"));

    assertThat(app(plan).deletions()).isEmpty();
    assertThat(decision(plan, C).reasons()).containsExactly("child of kept index " + B);
  }

  @Test
  void plan_whenUntaggedReferrerWhitelistedByDigest_keepsItWhenItsSubjectIsDeleted() {
    RegistrySnapshot snapshot = imageWithReferrer().build();
    RetentionPolicy policy =
        RetentionPolicy.builder().keep("app@" + B).deleteAttachedArtifacts(true).build();

    PrunePlan plan = plan(snapshot, policy);

    assertDeleted(plan, A);
    assertThat(decision(plan, B).reasons()).containsExactly("whitelisted app@" + B);
  }

  @Test
  void plan_whenTagOnlyLooksLikeCosignTagOfUnknownSubject_treatsItAsAnOrdinaryTag() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage("1", A, days(1))
            .tag(cosignTag(digest("gone"), "sig"), B)
            .image(B, days(1))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:1"));

    assertDeleted(plan, B);
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void plan_whenReferrerOfDeletedImage_keepsAndWarnsByDefault() {
    RegistrySnapshot snapshot = imageWithReferrer().build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.whitelist(List.of(), HOST));

    assertDeleted(plan, A);
    assertKept(plan, B);
    assertThat(plan.warnings())
        .singleElement()
        .asString()
        .contains("app@" + B, "deleteAttachedArtifacts(true)");
  }

  static IntStream seeds() {
    return IntStream.range(0, 16);
  }

  /** image <- sbom (cosign tag of the image) <- signature (cosign tag of the sbom). */
  private static RegistrySnapshot chain(int seed, String imageTag) {
    String image = digest("image" + seed);
    String sbom = digest("sbom" + seed);
    String sig = digest("sig" + seed);
    return app()
        .taggedImage(imageTag, image, days(1))
        .taggedImage(cosignTag(image, "sbom"), sbom, days(1))
        .taggedImage(cosignTag(sbom, "sig"), sig, days(1))
        .build();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void plan_whenSignatureOfSbomOfKeptImageAndDeleteAttachedArtifacts_keepsTheWholeChain(int seed) {
    RetentionPolicy policy =
        RetentionPolicy.builder().keepTags("v1").deleteAttachedArtifacts(true).build();

    PrunePlan plan = plan(chain(seed, "v1"), policy);

    assertThat(app(plan).deletions()).isEmpty();
    assertThat(decision(plan, digest("sig" + seed)).reasons())
        .containsExactly("attached to kept image " + digest("sbom" + seed));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void plan_whenSbomOfDeletedImageIsSigned_warnsOnlyAboutTheSbom(int seed) {
    PrunePlan plan = plan(chain(seed, "v1"), RetentionPolicy.builder().keepTags("other").build());

    assertThat(app(plan).tagsToDelete()).containsExactly("v1");
    assertThat(plan.warnings())
        .singleElement()
        .asString()
        .startsWith("app@" + digest("sbom" + seed));
    assertThat(decision(plan, digest("sig" + seed)).reasons())
        .containsExactly("attached to kept image " + digest("sbom" + seed));
  }

  // ---------------------------------------------------------------- reclaimable bytes

  @Test
  void plan_whenLayerSharedWithKeptImageInAnotherRepository_doesNotCountIt() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage(
                "old", A, days(9), blob("cfg-a", 100), blob("shared", 5_000), blob("own", 700))
            .manifestSize(A, 11)
            .repo("base")
            .taggedImage("1", B, days(9), blob("cfg-b", 100), blob("shared", 5_000))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("base:1"));

    assertThat(plan.totals().reclaimableBytes()).isEqualTo(11 + 100 + 700);
  }

  @Test
  void plan_whenLayerSharedByTwoDeletedImages_countsItOnce() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage("1", A, days(9), blob("cfg-a", 10), blob("shared", 1_000))
            .manifestSize(A, 1)
            .repo("other")
            .taggedImage("1", B, days(9), blob("cfg-b", 20), blob("shared", 1_000))
            .manifestSize(B, 2)
            .build();

    PrunePlan plan = plan(snapshot, RetentionPolicy.whitelist(List.of(), HOST));

    assertThat(plan.totals().reclaimableBytes()).isEqualTo(1 + 2 + 10 + 20 + 1_000);
  }

  @Test
  void plan_whenIndexDeleted_countsIndexChildrenAndTheirBlobs() {
    RegistrySnapshot snapshot =
        app()
            .taggedIndex("old", A, B, C)
            .manifestSize(A, 3)
            .image(B, days(9), blob("cfg-b", 10), blob("l-b", 100))
            .manifestSize(B, 5)
            .image(C, days(9), blob("cfg-c", 20), blob("l-c", 200))
            .manifestSize(C, 7)
            .taggedImage("keep", D, days(1), blob("cfg-d", 30_000))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:keep"));

    assertThat(plan.totals().reclaimableBytes()).isEqualTo(3 + 5 + 7 + 10 + 100 + 20 + 200);
    assertThat(decision(plan, A).sizeBytes()).isEqualTo(3 + 5 + 7 + 10 + 100 + 20 + 200);
  }

  @Test
  void plan_whenSameManifestKeptInAnotherRepository_doesNotCountItsBytes() {
    RegistrySnapshot snapshot =
        app()
            .taggedImage("1", A, days(9), blob("cfg", 10), blob("l", 100))
            .repo("mirror")
            .taggedImage("1", A, days(9), blob("cfg", 10), blob("l", 100))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("mirror:1"));

    assertDeleted(plan, A);
    assertThat(plan.totals().reclaimableBytes()).isZero();
  }

  // ---------------------------------------------------------------- totals, order, determinism

  @Test
  void plan_whenMixedRepositories_totalsAddUp() {
    RegistrySnapshot snapshot =
        app()
            .tag("1", A)
            .taggedImage("dev", A, days(1), blob("a", 1))
            .taggedIndex("old", B, C)
            .image(C, days(10), blob("c", 1))
            .repo("other")
            .tag("x", D)
            .taggedUndatedImage("y", D, blob("d", 1))
            .build();

    PrunePlan plan = plan(snapshot, whitelist("app:1"));
    PrunePlan.Totals t = plan.totals();

    assertThat(t.repositories()).isEqualTo(2);
    assertThat(t.tagsScanned()).isEqualTo(5);
    assertThat(t.tagsToDelete()).isEqualTo(3);
    assertThat(t.tagsKept()).isEqualTo(2);
    assertThat(t.digestsToDelete()).isEqualTo(3);
    assertThat(t.digestsKept()).isEqualTo(1);
    assertThat(t.digestsProtected()).isEqualTo(1);
    assertThat(t.undated()).isEqualTo(1);
    long decisions = plan.repositories().stream().mapToLong(r -> r.decisions().size()).sum();
    assertThat(t.digestsToDelete() + t.digestsKept()).isEqualTo(decisions);
    assertThat(plan.registry()).isEqualTo(HOST);
    assertThat(plan.createdAt()).isEqualTo(snapshot.takenAt());
  }

  @Test
  void plan_whenDecisionsMixed_listsDeletionsFirstThenByDigest() {
    SnapshotBuilder.RepoBuilder repo = app();
    for (int i = 0; i < 12; i++) {
      String d = digest("img" + i);
      repo.tag("t" + i, d).image(d, days(i + 1));
    }

    PrunePlan plan = plan(repo.build(), RetentionPolicy.builder().keepLast(5).build());

    List<DigestDecision> decisions = app(plan).decisions();
    List<DigestDecision> deletions = decisions.subList(0, 7);
    List<DigestDecision> kept = decisions.subList(7, 12);
    assertThat(deletions).allMatch(DigestDecision::isDelete);
    assertThat(kept).noneMatch(DigestDecision::isDelete);
    assertThat(deletions).extracting(DigestDecision::digest).isSorted();
    assertThat(kept).extracting(DigestDecision::digest).isSorted();
  }

  @Test
  void plan_whenSameSnapshotBuiltInAnotherOrder_producesEqualJson() {
    RegistrySnapshot forward =
        app()
            .tag("1", A)
            .taggedImage("x", A, days(1), blob("a", 1))
            .taggedIndex("old", B, C, D)
            .images(days(10), C, D)
            .tag(cosignTag(B, "sig"), digest("s"))
            .image(digest("s"), days(10))
            .image(digest("r"), days(10))
            .referrer(A, digest("r"))
            .build();
    RegistrySnapshot backward =
        app()
            .referrer(A, digest("r"))
            .image(digest("r"), days(10))
            .image(digest("s"), days(10))
            .tag(cosignTag(B, "sig"), digest("s"))
            .images(days(10), D, C)
            .index(B, C, D)
            .tag("old", B)
            .image(A, days(1), blob("a", 1))
            .tag("x", A)
            .tag("1", A)
            .build();
    RetentionPolicy policy =
        RetentionPolicy.builder().registryHost(HOST).keep("app:1").keepLast(1).build();

    String json = plan(forward, policy).toJson();

    assertThat(plan(backward, policy).toJson()).isEqualTo(json);
    assertThat(plan(forward, policy).toJson()).isEqualTo(json);
    assertThat(json).contains(A, B, C, D);
  }

  // ---------------------------------------------------------------- helpers

  private static SnapshotBuilder.RepoBuilder app() {
    return snapshot().repo("app");
  }

  /** app: two PR builds, pr-1 on A (5 days old) and pr-2 on B (4 days old). */
  private static SnapshotBuilder.RepoBuilder prBuilds() {
    return app().taggedImage("pr-1", A, days(5)).taggedImage("pr-2", B, days(4));
  }

  /** app: A tagged 1, and B its cosign signature (tag {@code sha256-<A>.sig}). */
  private static SnapshotBuilder.RepoBuilder signedImage() {
    return app().taggedImage("1", A, days(1)).taggedImage(cosignTag(A, "sig"), B, days(1));
  }

  /** app: A tagged 1, and B an untagged referrer of A (referrers API). */
  private static SnapshotBuilder.RepoBuilder imageWithReferrer() {
    return app().taggedImage("1", A, days(1)).image(B, days(1)).referrer(A, B);
  }

  private static RepositoryPlan app(PrunePlan plan) {
    return repo(plan, "app");
  }

  private static DigestDecision decision(PrunePlan plan, String digest) {
    return decision(plan, "app", digest);
  }

  /** In repository app, the plan keeps {@code digest}, for exactly {@code reasons} if any given. */
  private static void assertKept(PrunePlan plan, String digest, String... reasons) {
    assertDecision(plan, digest, Action.KEEP, reasons);
  }

  /**
   * In repository app, the plan deletes {@code digest}, for exactly {@code reasons} if any given.
   */
  private static void assertDeleted(PrunePlan plan, String digest, String... reasons) {
    assertDecision(plan, digest, Action.DELETE, reasons);
  }

  private static void assertDecision(
      PrunePlan plan, String digest, Action action, String... reasons) {
    DigestDecision d = decision(plan, digest);
    assertThat(d.action()).as("action on %s", digest).isEqualTo(action);
    if (reasons.length > 0) {
      assertThat(d.reasons()).as("reasons for %s", digest).containsExactly(reasons);
    }
  }

  private static SnapshotBuilder snapshot() {
    return SnapshotBuilder.registry(HOST);
  }

  private static Instant days(int ago) {
    return NOW.minus(Duration.ofDays(ago));
  }

  private static RetentionPolicy whitelist(String... entries) {
    return RetentionPolicy.whitelist(List.of(entries), HOST);
  }

  private static PrunePlan plan(RegistrySnapshot snapshot, RetentionPolicy policy) {
    return PrunePlanner.plan(snapshot, policy, NOW);
  }

  private static RepositoryPlan repo(PrunePlan plan, String name) {
    return plan.repositories().stream()
        .filter(r -> r.repository().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no plan for repository " + name));
  }

  private static DigestDecision decision(PrunePlan plan, String repository, String digest) {
    return repo(plan, repository).decisions().stream()
        .filter(d -> d.digest().equals(digest))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no decision for " + repository + "@" + digest));
  }
}
