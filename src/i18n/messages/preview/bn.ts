import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'আগেই শুনুন',
  intro: '{title}-এর একটি ঝলক, যাঁরা এটি প্রি-সেভ করেছেন সেই ভক্তদের জন্য।',
  player_label: '{title}-এর ঝলক',
  no_player: 'আপনার ব্রাউজার এই ঝলকটি চালাতে পারে না।',
  keep_private: 'এই ঝলকটি আপনার জন্য; অনুগ্রহ করে এটি শেয়ার বা রেকর্ড করবেন না — যা কিছু বাজে, তা রেকর্ড করা যায়।',
  from: 'আপনি {date} থেকে শুনতে পারবেন।',
  not_yet: 'এখনও নয় — এই ঝলকটি {date} থেকে শোনা যাবে।',
  expired: 'এই লিংকের মেয়াদ শেষ হয়েছে: আবার শুনতে আপনার রসিদটি পুনরায় লোড করুন।',
  only_presavers: 'শুধু যাঁরা প্রি-সেভ করেছেন তাঁরাই এই ঝলকটি শুনতে পারবেন।',
};

export default messages;
