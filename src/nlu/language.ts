import { detectAll } from 'tinyld';

/**
 * Language of a (cleaned) customer message as ISO 639-1. tinyld is fast and offline but guesses
 * wildly on short support messages ("cancel ordedr 3707955617" → Latin), so we combine it with
 * a vote on function words of the languages a shop usually sees, and default to 'en' when
 * neither is sure.
 */

// Space-separated to keep the lists compact; lower case, accents kept.
const FUNCTION_WORDS: Record<string, string> = {
  en:
    'the my is and to i you it of for have what where how can this was not with ' +
    'please order want need would do your me an are when why thanks hi hello get ' +
    'help a',
  fr:
    'le la les mon ma mes est et je vous pour une un des pas que qui avec dans ' +
    'bonjour merci commande ai suis votre du au ce il ne pourquoi comment quand ' +
    'cordialement de sans elle avez pouvez sont très mais où sur colis livraison',
  es:
    'el la los las mi mis es y yo usted para una un por que con del al hola gracias ' +
    'pedido quiero tengo su no pero como cuando donde está esta saludos necesito me ' +
    'lo de en se os muy tenéis hacéis puedo envío también',
  de:
    'der die das mein meine ist und ich sie für ein eine nicht mit von zu den dem ' +
    'hallo danke bestellung habe bitte wo wann warum wie es auf noch grüße möchte ' +
    'ihr ihre kann',
  it:
    'il lo la mio mia è e io per una un che con del della ciao grazie ordine ho sono ' +
    'non vorrei dove quando come perché buongiorno',
  pt:
    'o a os meu minha é e eu para uma um que com do da olá obrigado obrigada pedido ' +
    'encomenda tenho não quero onde quando como você',
  nl:
    'de het een mijn is en ik u voor met niet van dat hallo bedankt bestelling heb ' +
    'wil waar wanneer hoe graag alstublieft',
};
const WORD_SETS = Object.fromEntries(
  Object.entries(FUNCTION_WORDS).map(([lang, words]) => [lang, new Set(words.split(' '))]),
);

type Vote = { lang: string; hits: number; second: number; of: (lang: string) => number };

// Characters only one of our languages uses count like two function words.
const SIGNATURE_CHARS: Record<string, RegExp> = { es: /[¿¡ñ]/, de: /ß/, fr: /[œç]/ };

function functionWordVote(words: string[], text: string): Vote {
  const hits = Object.entries(WORD_SETS).map(([lang, set]) => ({
    lang,
    hits: words.filter((w) => set.has(w)).length + (SIGNATURE_CHARS[lang]?.test(text) ? 2 : 0),
  }));
  const of = (lang: string) => hits.find((h) => h.lang === lang)?.hits ?? 0;
  hits.sort((a, b) => b.hits - a.hits);
  return { lang: hits[0]?.lang ?? 'en', hits: hits[0]?.hits ?? 0, second: hits[1]?.hits ?? 0, of };
}

export function detectLanguage(text: string): string {
  const stripped = text
    .replace(/\S+@\S+|https?:\/\/\S+/g, ' ')
    .replace(/[#\d]+\S*/g, ' ')
    .trim();
  const words = stripped.toLowerCase().match(/\p{L}[\p{L}']*/gu) ?? [];
  const vote = functionWordVote(words, stripped);
  // Too short for statistics: only an unambiguous non-English word ("Merci !", "Danke") counts.
  if (words.length < 4) {
    return vote.hits >= 1 && vote.hits > vote.second && vote.of('en') === 0 ? vote.lang : 'en';
  }
  // Function words decide once they clearly agree (most messages: no need for tinyld, which is
  // the slowest step of understanding); a confident tinyld decides long texts in languages
  // without a function-word list (Swedish, Polish…).
  if (vote.hits >= 2 && vote.hits >= vote.second + 2) return vote.lang;
  // A few hundred characters are plenty for tinyld and keep long emails fast.
  const top = detectAll(stripped.slice(0, 300))[0];
  if (top && words.length >= 8 && top.accuracy >= 0.5 && vote.hits <= 1) return top.lang;
  if (top && top.accuracy >= 0.8 && words.length >= 4) {
    const own = vote.of(top.lang);
    if (own >= 1 && own >= vote.of('en')) return top.lang;
  }
  return 'en';
}
