package io.esteira.localstack;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The HubSpot journal's sums: the busiest window, tasks and notes per upload. */
class HubSpotJournalTest {

	private static final UUID FIRST = UUID.fromString("0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b");

	private static final UUID SECOND = UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");

	@Test
	void busiestWindowCountsCallsInAnyHalfOpenTenSecondSpan() {
		assertThat(HubSpotJournal.busiest(new long[0], 10_000)).isZero();
		assertThat(HubSpotJournal.busiest(new long[] { 5 }, 10_000)).isEqualTo(1);
		// 0 and 10_000 are not in one [t, t + 10 s): the second starts a new window.
		assertThat(HubSpotJournal.busiest(new long[] { 0, 10_000 }, 10_000)).isEqualTo(1);
		assertThat(HubSpotJournal.busiest(new long[] { 0, 9_999 }, 10_000)).isEqualTo(2);
		// In any order; the busiest span is 9_000..18_999 (four calls), not the first ten seconds (three).
		assertThat(HubSpotJournal.busiest(new long[] { 18_000, 0, 5_000, 9_000, 12_000, 15_000, 40_000 }, 10_000))
			.isEqualTo(4);
		assertThat(HubSpotJournal.busiest(new long[] { 7, 7, 7 }, 10_000)).isEqualTo(3);
	}

	@Test
	void tasksAndNotesAreCountedPerUploadFromBatchInputsAndSingleCreates() {
		String batchOfTasks = """
				{"inputs":[
				  {"properties":{"hs_task_body":"New photo\\n\\n(Esteira ref %s)","hs_task_subject":"s"},"associations":[]},
				  {"properties":{"hs_task_body":"New photo\\n\\n(Esteira ref %s)"},"associations":[]}
				]}""".formatted(HubSpotJournal.marker(FIRST), HubSpotJournal.marker(SECOND));
		String singleNote = """
				{"properties":{"hs_timestamp":"2026-12-05T10:00:00Z","hs_note_body":"Photo (Esteira ref %s)"}}"""
			.formatted(HubSpotJournal.marker(FIRST));
		String batchOfNotes = """
				{"inputs":[{"properties":{"hs_note_body":"Photo (Esteira ref %s)"}}]}"""
			.formatted(HubSpotJournal.marker(FIRST));
		String search = """
				{"filterGroups":[{"filters":[{"propertyName":"hs_task_body","operator":"CONTAINS_TOKEN","value":"%s"}]}]}"""
			.formatted(HubSpotJournal.marker(SECOND));
		HubSpotJournal.Calls calls = new HubSpotJournal.Calls(List.of(
				new HubSpotJournal.Call(1_000, "POST", "/crm/objects/2026-09/tasks/batch/create", batchOfTasks),
				new HubSpotJournal.Call(2_000, "POST", "/crm/v3/objects/notes", singleNote),
				new HubSpotJournal.Call(3_000, "POST", "/crm/objects/2026-09/notes/batch/create", batchOfNotes),
				new HubSpotJournal.Call(4_000, "POST", "/crm/v3/objects/tasks/search", search),
				new HubSpotJournal.Call(5_000, "PATCH", "/crm/v3/objects/contacts/123", "{\"properties\":{}}"),
				new HubSpotJournal.Call(6_000, "GET", "/crm/v3/objects/contacts/123?properties=hubspot_owner_id", "")));

		assertThat(calls.tasksPerUpload()).containsOnlyKeys(FIRST, SECOND).containsValues(1, 1);
		assertThat(calls.notesPerUpload()).containsOnlyKeys(FIRST).containsEntry(FIRST, 2);
		assertThat(calls.total()).isEqualTo(6);
		assertThat(calls.busiestWindow(HubSpotJournal.TEN_SECONDS)).isEqualTo(6);
		assertThat(calls.byEndpoint()).containsEntry("GET /crm/v3/objects/contacts/{id}", 1)
			.containsEntry("POST /crm/objects/2026-09/tasks/batch/create", 1);
	}

	@Test
	void aMarkerIsTheUploadIdsHexDigits() {
		assertThat(HubSpotJournal.marker(FIRST)).isEqualTo("esteira0f8e4c2a1b3d4e5f8a9b0c1d2e3f4a5b");
		assertThat(HubSpotJournal.uuid("0f8e4c2a1b3d4e5f8a9b0c1d2e3f4a5b")).isEqualTo(FIRST);
	}

}
