import type { Signals } from './types.js';

/**
 * Escalation signals found by phrase patterns (en, plus fr/es/de basics). Patterns run on
 * lower-cased text with accents stripped (see `foldText`), so "réembourser" matches "rembourser".
 */

export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`]/g, "'")
    .replace(/ß/g, 'ss');
}

const WHO =
  "(a |an |some |your |the |one of your |someone |somebody )?(real |actual |live |human |proper |customer service |customer support |support )?(person|human|agent|representative|rep|manager|supervisor|someone|somebody|operator|assistant|people|staff|member of (staff|your team)|employee|being)";

export const HUMAN_PATTERNS: RegExp[] = [
  new RegExp(`\\b(speak|talk|chat|deal|get through|be connected|communicate)\\s+(to|with)\\s+${WHO}\\b`),
  /\b(real|actual|live|human) (person|human|agent|people|being)\b/,
  /\b(not|no more|stop (talking to|sending me)) (a |an |another |this |your )?(bot|robot|machine|automated|ai)\b/,
  /\b(transfer|escalate|connect|put) (me|this|my (case|ticket|complaint)) (to|through|with|up)\b/,
  /\b(want|need|like|request|demand)( to have)? (a|an) (human|agent|person|representative|manager|supervisor)\b/,
  /\bhuman (please|agent|support|being)\b/,
  // fr / es / de
  /\bparler (a|avec) (un |une |quelqu'un|un conseiller|une conseillere|un humain|une personne|un agent|un responsable|un etre humain|une vraie personne)/,
  /\b(vraie personne|etre humain|conseiller humain)\b/,
  /\bhablar con (alguien|(un |una |el |la |algun )?(persona|agente|humano|supervisor|gerente|encargado|responsable|asesor))\b/,
  /\b(persona real|ser humano)\b/,
  /\b(mit )?(einem |einer |einen )?(echten )?(menschen|mitarbeiter(in)?|person|berater(in)?|vorgesetzten|kundenberater|ansprechpartner)\s+(sprechen|reden|verbinden)\b/,
  /\b(echten menschen|echte person)\b/,
];

export const LEGAL_PATTERNS: RegExp[] = [
  /\b(lawyer|attorney|solicitor|lawsuit|legal action|legal proceedings|litigation|small claims|consumer protection|trading standards|attorney general|class action)\b/,
  /\b(sue|suing|take (you|this|them) to court)\b/,
  /\b(avocat|poursuites|tribunal|action en justice|porter plainte|association de consommateurs)\b/,
  /\b(abogado|demandar|demanda judicial|denuncia|tribunales?|proteccion al consumidor)\b/,
  /\b((rechts)?anwalt|verklagen|klage|gericht|verbraucherschutz|verbraucherzentrale|rechtliche schritte)\b/,
];

export const SAFETY_PATTERNS: RegExp[] = [
  /\b(injur(ed|y|ies)|burn(ed|t|s|ing)?|caught fire|on fire|fire hazard|in flames|smok(e|ed|ing)|sparks?|sparking|explod(ed|es|ing)|explosion|electric(al)? shock|electrocut\w*|chok(e|ed|ing)|choking hazard|allergic reaction|anaphyla\w*|rash|hives|dangerous|hazard(ous)?|unsafe|toxic|poison(ed|ous|ing)?|bleeding|hospital|emergency room|melted|overheat(ed|ing|s)?)\b/,
  /\b(hurt|cut|burned|injured) (me|myself|my|him|her|them|our|us)\b/,
  /\b(brule|brulure|blesse|blessure|dangereux|incendie|prend feu|pris feu|etouffe|allergique)\b/,
  /\b(quemadura|quemo|herido|herida|lesion|peligroso|incendio|fuego|alergica|asfixia)\b/,
  /\b(verbrannt|verbrennung|verletzt|verletzung|gefahrlich|in brand|feuer|allergische|erstickt|stromschlag)\b/,
];

export const CHARGEBACK_PATTERNS: RegExp[] = [
  /\b(charge ?backs?|dispute (the |this |a |my )?(charge|transaction|payment))\b/,
  /\b(file|open|raise|start) (a |an )?(dispute|claim) (with|through) (my |the )?(bank|card|credit card|card issuer|paypal|visa|mastercard|amex)\b/,
  /\b(paypal (dispute|claim)|(contact|call|calling|contacting|phone) my (bank|credit card company|card company|card issuer))\b/,
  /\b(retrofacturation|contester (le |la )?(paiement|transaction|prelevement)|faire opposition)\b/,
  /\b(contracargo|disputa con (mi |el )?banco|reclamar (a|al) (mi )?banco|anular el cargo)\b/,
  /\b(ruckbuchung|zuruckbuchen|zuruckbuchung|lastschrift zuruck|bank einschalten)\b/,
];

export const REVIEW_PATTERNS: RegExp[] = [
  /\b(bad|negative|terrible|awful|horrible|scathing|1[- ]?star|one[- ]?star|zero[- ]?star|0[- ]?star) (review|rating|feedback)s?\b/,
  /\b(review|reviews) (everywhere|on (trustpilot|yelp|google|amazon|facebook))\b/,
  /\b(post|write|share|put|tell) (about )?(this|it|everything|my experience)? ?(on|all over) (social media|facebook|twitter|instagram|tiktok|reddit|trustpilot|yelp|google|the internet)\b/,
  /\b(better business bureau|bbb|trustpilot|yelp)\b/,
  /\b(tell|warn) (all (of )?)?(my friends|everyone|everybody|others|other (people|customers))\b/,
  /\b(avis negatif|mauvais avis|reseaux sociaux)\b/,
  /\b(resena negativa|mala resena|malas resenas|redes sociales)\b/,
  /\b(schlechte bewertung|negative bewertung|bewertung abgeben|sozialen medien)\b/,
];

export const REPEAT_PATTERNS: RegExp[] = [
  /\b(second|third|fourth|fifth|2nd|3rd|4th|5th|umpteenth|nth) (time|email|message|request|attempt)\b/,
  /\b(once again|yet again|again and again|over and over)\b/,
  /\b(writing|emailing|contacting|calling|asking|messaging|reaching out|telling you|chasing)( you)? again\b/,
  /\b(still (haven't|have not|hasn't|has not|no|not|nothing|waiting|don't|do not|didn't))\b/,
  /\b(keep (asking|writing|calling|emailing|getting|being told)|multiple times|several times|many times|countless times|how many times|so many times)\b/,
  /\b(already (contacted|emailed|asked|called|written|wrote|messaged|sent)|no (one|body) (has )?(replied|responded|answered|got back|gotten back)|no (reply|response|answer) (yet|from you|to my)|never heard back|haven't heard back|have not heard back|still no (reply|response|answer|update))\b/,
  /\b(troisieme fois|deuxieme fois|encore une fois|toujours pas|deja (ecrit|contacte|demande))\b/,
  /\b(tercera vez|segunda vez|otra vez|todavia no|aun no|ya (escribi|he escrito|llame|pregunte))\b/,
  /\b(dritten mal|zweiten mal|schon wieder|immer noch (nicht|kein)|bereits (geschrieben|angerufen|kontaktiert))\b/,
];

export const LEAVE_PATTERNS: RegExp[] = [
  /\b(never (order|buy|shop|purchase)\w* (anything )?(from|with|here|again)|(lost|losing) a (loyal )?customer|take my business elsewhere|last time i (order|buy|shop)\w*|won'?t be (ordering|shopping|buying|back)|done with (you|this company|your company)|switch(ing)? to (amazon|another (shop|store|company)|a competitor))\b/,
  /\b(plus jamais|ne commanderai plus|nunca mas|nie wieder|letzte bestellung)\b/,
];

function matched(patterns: RegExp[], folded: string): string | undefined {
  for (const re of patterns) {
    const m = re.exec(folded);
    if (m) return m[0];
  }
  return undefined;
}

export type SignalMatches = Record<keyof Signals | 'threatensToLeave', string | undefined>;

/** The phrase that triggered each signal (undefined when absent). */
export function matchSignals(text: string): SignalMatches {
  const folded = foldText(text);
  return {
    wantsHuman: matched(HUMAN_PATTERNS, folded),
    legalThreat: matched(LEGAL_PATTERNS, folded),
    safetyIssue: matched(SAFETY_PATTERNS, folded),
    repeatContact: matched(REPEAT_PATTERNS, folded),
    threatensChargeback: matched(CHARGEBACK_PATTERNS, folded),
    threatensReview: matched(REVIEW_PATTERNS, folded),
    threatensToLeave: matched(LEAVE_PATTERNS, folded),
  };
}

export function detectSignals(text: string): Signals {
  const m = matchSignals(text);
  return {
    wantsHuman: m.wantsHuman !== undefined,
    legalThreat: m.legalThreat !== undefined,
    safetyIssue: m.safetyIssue !== undefined,
    repeatContact: m.repeatContact !== undefined,
    threatensChargeback: m.threatensChargeback !== undefined,
    threatensReview: m.threatensReview !== undefined,
  };
}
