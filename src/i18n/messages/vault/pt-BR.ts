import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'O cofre',
  intro:
    'Conteúdo extra de {artist}. Cada link de download funciona por {minutes} minutos e só para você: recarregue esta página para ter links novos.',
  kind_audio: 'Áudio',
  kind_image: 'Imagem',
  kind_video: 'Vídeo',
  kind_document: 'Documento',
  kind_archive: 'Arquivo ZIP',
  kind_link: 'Link',
  download: 'Baixar',
  open_link: 'Abrir link',
  downloads_left: '{left, plural, one {Resta # download} many {Restam # downloads} other {Restam # downloads}}',
  locked: 'Bloqueado',
  locked_presave: 'Desbloqueia para os fãs cujo pré-save está a caminho da biblioteca.',
  locked_contact: 'Desbloqueia quando você confirmar seu e-mail para um lembrete nesta página.',
  locked_referrals:
    'Desbloqueia quando {need, plural, one {o pré-save de # amigo for verificado} many {os pré-saves de # amigos forem verificados} other {os pré-saves de # amigos forem verificados}} pelo seu link — você tem {have}.',
  locked_release: 'Desbloqueia no lançamento: {when}.',
  link_expired_title: 'Este link expirou',
  link_expired: 'Os links de download funcionam só por alguns minutos. Volte ao seu comprovante para pegar um novo.',
  link_invalid_title: 'Este link não é seu',
  link_invalid: 'Este link de download pertence a outro comprovante ou foi alterado. Abra o cofre pelo seu próprio comprovante.',
  not_qualified_title: 'Ainda bloqueado',
  not_qualified: 'Este item ainda não está desbloqueado para você. Seu comprovante mostra o que o desbloqueia.',
  limit_title: 'Limite de downloads atingido',
  limit_reached:
    'Você já baixou isto {limit, plural, one {# vez} many {# vezes} other {# vezes}}, o máximo que o artista permite. Se um download foi interrompido, seu navegador pode retomá-lo.',
  gone: 'O artista removeu este item do cofre.',
  back_to_receipt: 'Voltar ao seu comprovante',
};

export default messages;
