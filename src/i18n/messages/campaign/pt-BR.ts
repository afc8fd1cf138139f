import type { CampaignMessages } from './index.js';

const messages: CampaignMessages = {
  out_local: 'Sai em {date} às {time}, no seu horário local',
  out_at: 'Sai em {when}',
  partly_out: 'Já saiu em alguns países: faça o pré-save agora e ele será salvo assim que sair onde você está.',
  presave_on: 'Pré-save no {service}',
  listen_on: 'Ouvir no {service}',
  out_now: 'Já disponível',
  links_preparing: 'Os links para o lançamento estão sendo preparados.',
  already_out_here: 'Já saiu onde você está?',
  release_type: '{type, select, single {Single} ep {EP} album {Álbum} other {Lançamento}}',
  description:
    '{type, select, single {Single} ep {EP} album {Álbum} other {Lançamento}} de {artist}. {released, select, yes {Já disponível.} other {Faça o pré-save agora.}}',
  demo_badge: 'DEMO',
  demo_note: 'Uma campanha de demonstração no serviço Sandbox integrado.',
  artwork_alt: 'Capa de {title}',
  countdown_days: '{days, plural, one {# dia} many {# dias} other {# dias}}',
  countdown_left: 'Faltam {time} para o lançamento',
  countdown_out: 'Já disponível: salvando na biblioteca de todos que fizeram o pré-save',
};
export default messages;
