// Plain Danish and English sentences of what a verified bundle proves and what
// it does not (the result of verifyBundle), for people who never read the protocol.
//
// describe(result, lang) -> {headline, proves: [sentence], doesNotProve: [sentence]}
// with lang "da" (the default) or "en".

const LANGS = ["da", "en"];

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function list(items, lang) {
  if (items.length <= 1) return items.join("");
  const and = lang === "da" ? " og " : " and ";
  return items.slice(0, -1).join(", ") + and + items[items.length - 1];
}

function streamName(stream, lang) {
  if (stream === "registry") return lang === "da" ? "registret (personer, nøgler, organer)" : "the registry (people, keys, bodies)";
  if (stream.startsWith("matter/")) return (lang === "da" ? "sagen " : "the matter ") + stream.slice(7);
  return stream;
}

const VERDICTS = {
  da: {
    involved: "var inddraget i sagen: vedkommende underskrev en hændelse i den, sad i et organ som sagen blev sendt til, eller er nævnt i et mødereferat",
    not_involved: "sad i det ansvarlige organ mens sagen kørte, men blev aldrig inddraget i den",
    not_a_member: "sad ikke i det ansvarlige organ mens sagen kørte og blev ikke inddraget",
  },
  en: {
    involved: "was involved in the matter: they signed an event of it, sat in a body it was sent to, or are named in a meeting record",
    not_involved: "sat in the responsible body while the matter ran, but was never involved in it",
    not_a_member: "did not sit in the responsible body while the matter ran and was not involved",
  },
};

const PROVES = {
  da: {
    checkpoint: (c) =>
      `Loggen ${c.origin} har underskrevet et checkpoint med ${c.treeSize} hændelser, med den lognøgle som tillidsroden angiver.`,
    witnesses: (c) =>
      c.cosigned === 0
        ? "Ingen vidne har medunderskrevet checkpointet, og tillidsroden kræver ingen."
        : `${plural(c.cosigned, "vidne", "vidner")} (${list(c.names, "da")}) har medunderskrevet checkpointet; tillidsroden kræver ${c.quorum} af ${c.witnesses}.`,
    genesis: (c) =>
      `Loggens første hændelse er netop den oprettelse af ${c.origin} som tillidsroden fastlåser: det er ikke en anden log under samme navn.`,
    in_log: (c) =>
      `${plural(c.events, "hændelse", "hændelser")} fra ${plural(c.streams, "strøm", "strømme")} står i loggen på de angivne pladser og kan ikke ændres eller fjernes uden at checkpointet brydes.`,
    signed: (c) =>
      "Hver hændelse er underskrevet af den person den nævner, med en nøgle der var tilmeldt og ikke tilbagekaldt på det tidspunkt, og tilmeldingerne går tilbage til loggens første administrator.",
    complete: (c) =>
      `Intet er udeladt af ${list(c.streams.map((s) => streamName(s, "da")), "da")}: pakken rummer hver hændelse til og med den seneste som checkpointet kender.`,
    disclosed: (c) =>
      `${c.fields === 1 ? "Det" : "De"} ${plural(c.fields, "viste felt", "viste felter")} er præcis hvad underskriveren skrev.`,
    verdict: (c) =>
      `Kvitteringen: ${c.person} ${VERDICTS.da[c.verdict] ?? c.verdict} (sag ${c.matter}). Det er udledt her af hændelserne selv.`,
    imported: (c) =>
      `${plural(c.events, "hændelse er", "hændelser er")} mærket som importeret fra et tidligere system; ${c.events === 1 ? "dens tidspunkt er det" : "deres tidspunkter er dem"} importen angav.`,
  },
  en: {
    checkpoint: (c) =>
      `The log ${c.origin} signed a checkpoint of ${c.treeSize} events with the log key the trust root names.`,
    witnesses: (c) =>
      c.cosigned === 0
        ? "No witness cosigned the checkpoint, and the trust root asks for none."
        : `${plural(c.cosigned, "witness", "witnesses")} (${list(c.names, "en")}) cosigned the checkpoint; the trust root asks for ${c.quorum} of ${c.witnesses}.`,
    genesis: (c) =>
      `The log's first event is exactly the founding of ${c.origin} that the trust root pins: it is not another log under the same name.`,
    in_log: (c) =>
      `${plural(c.events, "event", "events")} of ${plural(c.streams, "stream", "streams")} ${c.events === 1 ? "is" : "are"} in the log at the stated positions and cannot be changed or removed without breaking the checkpoint.`,
    signed: (c) =>
      "Each event is signed by the person it names, with a key that was enrolled and not revoked at that point, and the enrolments trace back to the log's founding administrator.",
    complete: (c) =>
      `Nothing is left out of ${list(c.streams.map((s) => streamName(s, "en")), "en")}: the bundle holds every event up to the latest one the checkpoint knows.`,
    disclosed: (c) =>
      `The ${plural(c.fields, "field", "fields")} shown ${c.fields === 1 ? "is" : "are"} exactly what the signer wrote.`,
    verdict: (c) =>
      `The receipt: ${c.person} ${VERDICTS.en[c.verdict] ?? c.verdict} (matter ${c.matter}). This is derived here from the events themselves.`,
    imported: (c) =>
      `${plural(c.events, "event is", "events are")} marked as imported from an earlier system; ${c.events === 1 ? "its time is the one" : "their times are the ones"} the import stated.`,
  },
};

const DOES_NOT_PROVE = {
  da: {
    not_complete: (c) =>
      `At intet er udeladt af ${list(c.streams.map((s) => streamName(s, "da")), "da")}: pakken viser kun udvalgte hændelser derfra.`,
    undisclosed: (c) =>
      `Indholdet af ${plural(c.fields, "felt", "felter")} i ${plural(c.events, "hændelse", "hændelser")} som ikke vises (tilbageholdt eller slettet); pakken viser kun at ${c.fields === 1 ? "det" : "de"} findes.`,
    roles: (c) =>
      "At hver underskriver havde den rette rolle i det rette organ; det kontrollerer en fuld verifikation af hele loggen.",
    truth: (c) =>
      "At det der står i hændelserne er sandt; kun hvem der skrev hvad, og hvornår det kom i loggen.",
    times: (c) =>
      "De tidspunkter underskriverne angav; loggens egne registreringstider er kun afgrænset af checkpoints som vidner har set.",
    after: (c) =>
      `Noget om hvad der skete efter de ${c.treeSize} hændelser checkpointet dækker.`,
    no_witness: (c) =>
      "At loggen viser alle den samme historie: uden vidner hviler det på loggens operatør alene.",
    refused: (c) => refusal(c.code, c.event, "da"),
  },
  en: {
    not_complete: (c) =>
      `That nothing is left out of ${list(c.streams.map((s) => streamName(s, "en")), "en")}: the bundle shows only chosen events of ${c.streams.length === 1 ? "it" : "them"}.`,
    undisclosed: (c) =>
      `The content of ${plural(c.fields, "field", "fields")} in ${plural(c.events, "event", "events")} that ${c.fields === 1 ? "is" : "are"} not shown (withheld or erased); the bundle only shows that ${c.fields === 1 ? "it exists" : "they exist"}.`,
    roles: (c) =>
      "That each signer held the right role in the right body; a full verification of the whole log checks that.",
    truth: (c) =>
      "That what the events say is true; only who wrote what, and that it is in the log.",
    times: (c) =>
      "The times the signers claimed; the log's own recorded times are bounded only by checkpoints that witnesses saw.",
    after: (c) =>
      `Anything about what happened after the ${c.treeSize} events the checkpoint covers.`,
    no_witness: (c) =>
      "That the log shows everyone the same history: without witnesses that rests on the log's operator alone.",
    refused: (c) => refusal(c.code, c.event, "en"),
  },
};

// Why a bundle is refused, per stable error code.
const REASONS = {
  da: {
    malformed_bundle: "filen er ikke en gyldig bevispakke",
    malformed_trust_root: "tillidsroden er ikke gyldig",
    malformed_key: "en nøgle i tillidsroden er ikke gyldig",
    malformed_checkpoint: "checkpointet er ikke gyldigt",
    wrong_ledger: "pakken hører til en anden log end tillidsroden",
    checkpoint_signature_invalid: "checkpointet er ikke underskrevet af loggens nøgle, eller en vidneunderskrift holder ikke",
    witness_quorum_missing: "for få af de vidner tillidsroden kræver har medunderskrevet checkpointet",
    genesis_mismatch: "loggens første hændelse er ikke den som tillidsroden fastlåser",
    inclusion_proof_invalid: "en hændelse står ikke i loggen som checkpointet dækker",
    payload_commitment_mismatch: "et vist felt er ikke det underskriveren skrev",
    unknown_key: "en hændelse er underskrevet med en nøgle der ikke var tilmeldt",
    revoked_key: "en hændelse er underskrevet med en tilbagekaldt nøgle",
    bad_signature: "en underskrift holder ikke",
    registry_payload_missing: "en hændelse i registret viser ikke alle sine felter",
    signer_not_admin: "en tilmelding eller tilbagekaldelse er ikke underskrevet af en administrator",
    key_id_mismatch: "et nøgle-id passer ikke til sin nøgle",
    chain_broken: "to hændelser i samme strøm hænger ikke sammen",
    head_proof_invalid: "en strøms seneste hændelse står ikke i checkpointet",
    incomplete_stream: "der mangler hændelser i en strøm som pakken siger er komplet",
    routing_field_missing: "kvitteringen mangler et felt som afgørelsen bygger på",
    verdict_mismatch: "kvitteringens afgørelse passer ikke med hændelserne",
    verifier_error: "verifikationen kunne ikke gennemføres på denne fil",
  },
  en: {
    malformed_bundle: "the file is not a valid evidence bundle",
    malformed_trust_root: "the trust root is not valid",
    malformed_key: "a key in the trust root is not valid",
    malformed_checkpoint: "the checkpoint is not valid",
    wrong_ledger: "the bundle belongs to another log than the trust root",
    checkpoint_signature_invalid: "the checkpoint is not signed by the log key, or a witness cosignature does not hold",
    witness_quorum_missing: "too few of the witnesses the trust root asks for cosigned the checkpoint",
    genesis_mismatch: "the log's first event is not the one the trust root pins",
    inclusion_proof_invalid: "an event is not in the log the checkpoint covers",
    payload_commitment_mismatch: "a field shown is not what the signer wrote",
    unknown_key: "an event is signed with a key that was not enrolled",
    revoked_key: "an event is signed with a revoked key",
    bad_signature: "a signature does not hold",
    registry_payload_missing: "a registry event does not show all its fields",
    signer_not_admin: "an enrolment or revocation is not signed by an administrator",
    key_id_mismatch: "a key id does not match its key",
    chain_broken: "two events of one stream do not link up",
    head_proof_invalid: "a stream's latest event is not in the checkpoint",
    incomplete_stream: "events are missing from a stream the bundle says is complete",
    routing_field_missing: "the receipt lacks a field its verdict rests on",
    verdict_mismatch: "the receipt's verdict does not match its events",
    verifier_error: "the verification could not be carried out on this file",
  },
};

function refusal(code, event, lang) {
  const reason = REASONS[lang][code] ?? code;
  if (!event) return lang === "da" ? `Pakken beviser intet: ${reason} (${code}).` : `The bundle proves nothing: ${reason} (${code}).`;
  const what = [event.type, event.stream && event.seq !== null ? `${event.stream} #${event.seq}` : event.stream]
    .filter(Boolean)
    .join(", ");
  const where = lang === "da" ? `hændelse ${event.leafIndex} i loggen` : `event ${event.leafIndex} of the log`;
  return lang === "da"
    ? `Pakken beviser intet: ${reason} (${code}; ${where}${what ? ": " + what : ""}).`
    : `The bundle proves nothing: ${reason} (${code}; ${where}${what ? ": " + what : ""}).`;
}

export function describe(result, lang = "da") {
  if (!LANGS.includes(lang)) throw new Error(`no sentences in ${lang}: use one of ${LANGS.join(", ")}`);
  const headline = result.ok
    ? lang === "da"
      ? "Pakken er gyldig."
      : "The bundle is valid."
    : lang === "da"
      ? `Pakken afvises: ${REASONS.da[result.code] ?? result.code}.`
      : `The bundle is refused: ${REASONS.en[result.code] ?? result.code}.`;
  return {
    headline,
    proves: result.proves.map((claim) => PROVES[lang][claim.id](claim)),
    doesNotProve: result.doesNotProve.map((claim) => DOES_NOT_PROVE[lang][claim.id](claim)),
  };
}

// Every error code a sentence exists for (the tests check none is missing).
export const EXPLAINED_CODES = Object.keys(REASONS.en);
