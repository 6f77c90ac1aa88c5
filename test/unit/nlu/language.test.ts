import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/nlu/language.js';

describe('detectLanguage', () => {
  it.each([
    ['Bonjour, je voudrais annuler ma commande, je me suis trompé de taille.', 'fr'],
    ['Hola, ¿dónde está mi pedido? Lo hice hace una semana.', 'es'],
    ['Hallo, wo ist meine Bestellung? Ich warte seit zwei Wochen.', 'de'],
    ['Hi, I would like to return the jacket because it is too small.', 'en'],
    ['cancel ordedr 3707955617', 'en'],
    ['open Premium acconut for bride', 'en'],
    ['Merci beaucoup !', 'fr'],
    ['ok', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});
