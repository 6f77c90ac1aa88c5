/**
 * How customers and agents say things vs how policies are written. Each rule adds policy words
 * to a query that matches its pattern; added words count for less than the customer's own
 * (see query.ts), so they steer ranking without drowning the question. English only: other
 * languages rely on their stemmer alone. Patterns run on the lower-cased question.
 */
export type SynonymRule = { pattern: RegExp; add: string };

export const SYNONYM_RULES: SynonymRule[] = [
  // Refunds
  { pattern: /\bmoney back\b|\bget (?:my |the )?money\b|\bpaid back\b|\bpay(?:ing)? me back\b/, add: 'refund' },
  { pattern: /\bcash\b|\bstore credit\b/, add: 'refund' },
  { pattern: /\breimburs|\brepay|\bcredit(?:ed)? back\b|\bchargeback|\bcompensat/, add: 'refund' },
  { pattern: /\bwhen will i (?:get|see|receive)\b.*\b(?:money|refund|credit)|\bhow long\b.*\brefund/, add: 'refund business days' },
  // Returns
  { pattern: /\b(?:send|ship|mail|give|take|bring|post)(?:ing)? (?:it |them |this |these |the \w+ |my \w+ )?back\b/, add: 'return' },
  { pattern: /\bdoes(?:n'?t| not) fit\b|\btoo (?:small|big|large|tight|loose)\b|\bdon'?t (?:like|want) (?:it|them)\b/, add: 'return exchange' },
  { pattern: /\b(?:damaged|broken|defective|faulty|torn|wrong item|not as described)\b/, add: 'return exchange delivered' },
  { pattern: /\bsend(?:ing)? (?:it |them )?back\b|\breturn label\b|\bhow (?:do i|to) return\b/, add: 'return items email' },
  // Exchanges
  { pattern: /\bswap|\bswitch|\btrade (?:it|them|in)\b|\breplace(?:ment)?\b/, add: 'exchange' },
  { pattern: /\b(?:different|another|other|bigger|smaller|larger) (?:size|colou?r|model|version|option)\b/, add: 'exchange option item' },
  // Cancellation
  { pattern: /\bcall off\b|\bstop (?:my|the|this) order\b|\bdon'?t (?:want|need) (?:it|this|the order)\b/, add: 'cancel' },
  { pattern: /\bundo\b|\breverse\b|\bvoid\b|\b(?:bought|ordered|purchased) (?:it |this )?twice\b|\bdouble order/, add: 'cancel' },
  { pattern: /\bno longer (?:need|want)|\bchanged my mind\b|\bby (?:mistake|accident)\b|\baccidental|\bordered twice\b|\bduplicate order\b/, add: 'cancel reason' },
  // Modifications
  { pattern: /\bchange|\bedit\b|\bupdate\b|\balter|\bamend|\bcorrect(?:ion)?\b|\bfix (?:the|my)\b|\bswitch\b/, add: 'modify' },
  { pattern: /\b(?:wrong|new|different|old|updated|correct) (?:shipping |delivery |home )?address\b|\bmoved\b|\b(?:ship|send|deliver|go|mail) (?:it |this |them )?to\b/, add: 'modify shipping address' },
  { pattern: /\b\d+\s+\w+(?:\s\w+)?\s+(?:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|way|court|ct|place|pl)\b|\bapartment\b|\bapt\b|\bzip ?code\b|\bpostcode\b/, add: 'address' },
  { pattern: /\b(?:add|remove) (?:an? |the )?item\b|\b(?:colou?r|size)\b/, add: 'item option' },
  // Payment
  { pattern: /\bpa(?:y|id|ying)\b/, add: 'payment' },
  { pattern: /\bpay(?:ing)? (?:with|by|using)\b|\bcredit card\b|\bdebit card\b|\bpaypal\b|\bbilling\b|\bcharged?\b|\bcard\b/, add: 'payment method' },
  { pattern: /\bgift ?card\b|\bstore credit\b|\bvoucher\b|\bbalance\b/, add: 'gift card balance' },
  { pattern: /\bprice difference\b|\bpay (?:the )?difference\b|\bcosts? more\b|\bcheaper\b|\bmore expensive\b/, add: 'price difference payment' },
  // Order state
  { pattern: /\bpurchas|\bbought\b|\bbuy(?:ing)?\b|\bcheck(?:ed)? ?out\b/, add: 'order' },
  { pattern: /\b(?:placed|made|ordered|purchased|bought)\b.*\b(?:today|this morning|an hour ago|minutes ago|last night|yesterday)\b/, add: 'pending' },
  { pattern: /\b(?:received|arrived|got|came|delivered)\b/, add: 'delivered' },
  { pattern: /\bnot (?:yet )?(?:shipped|sent|dispatched)\b|\bhas(?:n'?t| not) (?:shipped|been sent)\b|\bjust (?:placed|ordered)\b|\bprocessing\b/, add: 'pending' },
  { pattern: /\bwhere is\b|\btrack|\bshipped\b|\bin transit\b|\bon (?:its|the) way\b|\bstatus\b/, add: 'status order' },
  // Identity and authentication
  { pattern: /\bverif|\bidentity\b|\bwho i am\b|\bprove\b|\bauthenticat|\blog ?in\b|\bsign ?in\b|\baccount\b/, add: 'authenticate identity user id email zip code' },
  { pattern: /\bsomeone else|\bmy (?:wife|husband|friend|mother|father|partner|son|daughter|brother|sister)|\banother (?:person|customer|user)\b|\bon behalf\b/, add: 'other user one user per conversation' },
  { pattern: /\b(?:human|person|real agent|representative|manager|supervisor|somebody real|operator)\b/, add: 'transfer human agent' },
  { pattern: /\bconfirm|\bapprov|\bpermission\b|\bconsent\b/, add: 'explicit confirmation' },
  // Catalogue
  { pattern: /\bproduct ids?\b|\bitem ids?\b|\bsku\b|\bvariant/, add: 'product item id option' },
  { pattern: /\btime ?zone\b|\bwhat time\b|\bclock\b|\best\b|\beastern\b/, add: 'times EST hour' },
];

/** The policy words to add for a question (deduplicated, in rule order). */
export function expansionsFor(question: string): string[] {
  const q = question.toLowerCase().replace(/[’‘]/g, "'");
  const out: string[] = [];
  for (const rule of SYNONYM_RULES) {
    if (rule.pattern.test(q)) {
      for (const w of rule.add.split(/\s+/)) if (!out.includes(w)) out.push(w);
    }
  }
  return out;
}
