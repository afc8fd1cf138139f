import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'Concurso',
  prize: 'Prêmio: {prize}',
  starts_on: 'Começa em {when}',
  ends_on: 'Termina em {when}',
  ended_on: 'Terminou em {when}',
  your_points: 'Seus pontos: {points}',
  pending_points: 'Aguardando o dia do lançamento: mais {points}, quando os salvamentos forem verificados nas bibliotecas',
  no_purchase: 'Nenhuma compra ou pagamento é necessário para participar ou ganhar.',
  contact_winners:
    'Os vencedores só são avisados por e-mail se deixaram um endereço na página do recibo e o confirmaram; sem ele, o artista não consegue contatá-los.',
  rules_link: 'Regulamento oficial',
  page_title: 'Concurso: regulamento oficial',
  period: 'De {start} a {end}',
  how_to_enter: 'Para participar, faça o pré-save deste lançamento. Depois, sua página de recibo traz um link pessoal para compartilhar.',
  how_points: 'Como ganhar pontos',
  action: 'O que você faz',
  points: 'Pontos',
  points_presave: 'Fazer você mesmo o pré-save do lançamento (conta quando o salvamento é verificado na sua biblioteca)',
  points_referral: 'Cada amigo que faz o pré-save pelo seu link pessoal (conta quando o salvamento dele é verificado)',
  points_contact: 'Deixar seu e-mail e confirmá-lo',
  window_note: 'Só conta o que acontece entre o início e o fim.',
  how_chosen: 'Como os vencedores são escolhidos',
  method_top: 'Número de vencedores: {n}. Vencem os participantes com mais pontos; empates são ordenados pela semente abaixo.',
  method_draw:
    'Número de vencedores: {n}. Os vencedores são sorteados, e cada ponto vale uma chance; o sorteio usa a semente abaixo, então qualquer pessoa pode refazê-lo.',
  official_rules: 'Regulamento oficial',
  seed_heading: 'Semente do sorteio',
  seed_note:
    'Publicada antes do sorteio. Com esta semente e a lista de participações, qualquer pessoa pode refazer o sorteio e conferir os vencedores.',
  winners_heading: 'Vencedores',
  drawn_on: 'Sorteado em {when}.',
  not_drawn: 'Os vencedores ainda não foram sorteados.',
  a_fan: 'Um fã',
  place: 'Posição',
  name: 'Nome',
  entry: 'Participação',
  entries_heading: 'Participações do sorteio',
  campaign_line: 'Concurso: {prize}',
};

export default messages;
