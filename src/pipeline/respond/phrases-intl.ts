import type { Phrases } from './phrases-en.js';

type Partial2<T> = { [K in keyof T]?: T[K] extends (...a: never[]) => unknown ? T[K] : T[K] extends object ? Partial<T[K]> : T[K] };

/** Translations of the most used replies; anything missing falls back to English. */
export const intl: Record<string, Partial2<Phrases>> = {
  fr: {
    holding: 'Merci pour votre message ! Notre équipe est absente pour le moment ; nous vous répondrons dès notre retour.',
    items: (list) => `Elle contient : ${list}.`,
    greeting: (name) => (name ? `Bonjour ${name.split(' ')[0]},` : 'Bonjour,'),
    closing: 'Puis-je vous aider pour autre chose ?',
    sorry: 'Je suis désolé pour ce désagrément.',
    status: {
      pending: (n) => `Votre commande ${n} a bien été reçue et est en préparation. Elle n’a pas encore été expédiée.`,
      in_transit: (n) => `Votre commande ${n} a été expédiée et est en route.`,
      delivered: (n) => `Votre commande ${n} a été livrée.`,
      cancelled: (n) => `Votre commande ${n} a été annulée.`,
    },
    tracking: (numbers, carrier) => `Numéro de suivi : ${numbers}${carrier ? ` (${carrier})` : ''}.`,
    askOrderNumber: 'Pourriez-vous m’envoyer votre numéro de commande (par exemple #W1234567) ?',
    verifyIdentity:
      'Pour votre sécurité, je ne peux partager ou modifier les détails d’une commande qu’avec la personne qui l’a passée. Merci de nous écrire depuis l’adresse e-mail utilisée pour cette commande.',
    handoff: 'J’ai transmis votre message à un membre de notre équipe, qui vous répondra dès que possible.',
    done: { cancel_order: (n, amount) => `J’ai annulé votre commande ${n}.${amount ? ` Un remboursement de ${amount} sera effectué sur votre moyen de paiement d’origine.` : ''}` },
  },
  es: {
    holding: '¡Gracias por su mensaje! Nuestro equipo no está disponible ahora; le responderemos en cuanto volvamos.',
    items: (list) => `Contiene: ${list}.`,
    greeting: (name) => (name ? `Hola ${name.split(' ')[0]}:` : 'Hola:'),
    closing: '¿Hay algo más en lo que pueda ayudarle?',
    sorry: 'Lamento las molestias.',
    status: {
      pending: (n) => `Su pedido ${n} se ha recibido y se está preparando. Todavía no se ha enviado.`,
      in_transit: (n) => `Su pedido ${n} ha sido enviado y está en camino.`,
      delivered: (n) => `Su pedido ${n} fue entregado.`,
      cancelled: (n) => `Su pedido ${n} fue cancelado.`,
    },
    tracking: (numbers, carrier) => `Número de seguimiento: ${numbers}${carrier ? ` (${carrier})` : ''}.`,
    askOrderNumber: '¿Podría enviarme su número de pedido (por ejemplo #W1234567)?',
    verifyIdentity:
      'Por su seguridad, solo puedo compartir o cambiar los datos de un pedido con la persona que lo realizó. Escríbanos desde el correo electrónico usado en ese pedido.',
    handoff: 'He pasado su mensaje a un miembro de nuestro equipo, que le responderá lo antes posible.',
    done: { cancel_order: (n, amount) => `He cancelado su pedido ${n}.${amount ? ` Se le reembolsarán ${amount} en su método de pago original.` : ''}` },
  },
  de: {
    holding: 'Danke für Ihre Nachricht! Unser Team ist gerade nicht erreichbar; wir melden uns, sobald wir zurück sind.',
    items: (list) => `Sie enthält: ${list}.`,
    greeting: (name) => (name ? `Hallo ${name.split(' ')[0]},` : 'Hallo,'),
    closing: 'Kann ich sonst noch etwas für Sie tun?',
    sorry: 'Das tut mir leid.',
    status: {
      pending: (n) => `Ihre Bestellung ${n} ist eingegangen und wird vorbereitet. Sie wurde noch nicht versendet.`,
      in_transit: (n) => `Ihre Bestellung ${n} wurde versendet und ist unterwegs.`,
      delivered: (n) => `Ihre Bestellung ${n} wurde zugestellt.`,
      cancelled: (n) => `Ihre Bestellung ${n} wurde storniert.`,
    },
    tracking: (numbers, carrier) => `Sendungsnummer: ${numbers}${carrier ? ` (${carrier})` : ''}.`,
    askOrderNumber: 'Könnten Sie mir Ihre Bestellnummer schicken (zum Beispiel #W1234567)?',
    verifyIdentity:
      'Zu Ihrer Sicherheit kann ich Bestelldetails nur mit der Person teilen oder ändern, die bestellt hat. Bitte schreiben Sie uns von der E-Mail-Adresse, die Sie bei der Bestellung verwendet haben.',
    handoff: 'Ich habe Ihre Nachricht an ein Teammitglied weitergegeben, das sich so bald wie möglich bei Ihnen meldet.',
    done: { cancel_order: (n, amount) => `Ich habe Ihre Bestellung ${n} storniert.${amount ? ` ${amount} werden auf Ihre ursprüngliche Zahlungsmethode erstattet.` : ''}` },
  },
};
