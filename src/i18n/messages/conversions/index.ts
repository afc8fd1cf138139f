import type { Lang } from '../../languages.js';
import en from './en.js';
import es from './es.js';
import ptBR from './pt-BR.js';
import fr from './fr.js';
import de from './de.js';
import hi from './hi.js';
import bn from './bn.js';
import ar from './ar.js';

export type ConversionsMessages = typeof en;
export const conversions: Record<Lang, ConversionsMessages> = { en, es, 'pt-BR': ptBR, fr, de, hi, bn, ar };
