"""Chinese (zh-CN): what the package prints and draws in a Chinese lesson (see ``language.py``).

``TEXTS`` is keyed by the English text; ``HINTS`` by the keys of ``exercises.checks.HINTS``.
The terms are the write-up's: 循环调度, 消息确认, 消息持久化, 均匀调度; pika's and RabbitMQ's names
stay English.
"""

TEXTS = {
    # a lesson's setup and its end (demo/lesson.py)
    "Broker: ":
        "Broker：",
    "No management UI on this broker: `rabbitmq-plugins enable rabbitmq_management` turns it on (port 15672), and the compose file's image has it already.":
        "这个 broker 没有管理界面：`rabbitmq-plugins enable rabbitmq_management` 可以打开它（端口 15672），compose 文件里的镜像已经带有它。",
    "Stopped every worker; deleted queues: {queues}":
        "已停止所有 Worker；已删除的队列：{queues}",
    "Stopped every worker, and the cluster's {count} nodes with their queues: {queues}":
        "已停止所有 Worker，以及集群的 {count} 个节点和它们的队列：{queues}",
    "none":
        "无",
    # the learner's copies (workshop/learner_copies.py)
    "Open after you have run the cell above":
        "运行上面的单元格之后再打开",
    "Correct: ":
        "正确：",
    "Not yet: ":
        "还不对：",
    "You predicted:  nothing yet (write it in the cell above, then run both again)":
        "你的预测：  还没有（请写在上面的单元格里，然后把两个单元格都再运行一次）",
    "RabbitMQ did:   ":
        "RabbitMQ 的结果：",
    "You predicted:  ":
        "你的预测：  ",
    "Right.":
        "预测正确。",
    "Not what you predicted: the next cells say why.":
        "和你的预测不同：后面的单元格会解释原因。",
    ", and in queue_declare":
        "，queue_declare 中也一样",
    "; your workers declared {queues}":
        "；你的 Worker 声明的是 {queues}",
    "no delivery_mode":
        "没有设置 delivery_mode",
    "all":
        "全部",
    "seconds since the first task was published":
        "从第一个任务发布起的秒数",
    "done (acknowledged)":
        "完成（已确认）",
    "done, never acknowledged":
        "完成，但从未确认",
    "rejected":
        "被拒绝",
    "killed while working":
        "工作中被杀死",
    "stopped while working":
        "工作中被停止",
    "crashed while working":
        "工作中崩溃",
    "connection lost":
        "连接断开",
    "unfinished":
        "未完成",
    "done (acknowledged or auto-ack)":
        "完成（已确认或 auto-ack）",
    "done (auto-ack, nothing acknowledged)":
        "完成（auto-ack，没有任何确认）",
    "redelivered":
        "重新投递",
    "worker killed":
        "Worker 被杀死",
    "killed":
        "被杀死",
    "stopped":
        "被停止",
    "crashed":
        "崩溃",
    "broker restarting":
        "broker 重启中",
    "node killed: queue unavailable":
        "节点被杀死：队列不可用",
    "{node} killed: queue unavailable {seconds:.2f} s":
        "{node} 被杀死：队列不可用 {seconds:.2f} 秒",
    "{title} — makespan {seconds:.1f} s":
        "{title} — 总耗时 {seconds:.1f} 秒",
    "messages":
        "消息数",
    "many tiny tasks: throughput (tasks/s)":
        "大量极小任务：吞吐量（任务/秒）",
    "tasks done per second":
        "每秒完成的任务数",
    "uneven tasks: makespan (s)":
        "长短不一的任务：总耗时（秒）",
    "seconds":
        "秒",
    "no limit":
        "不限",
    "{worker} joins":
        "{worker} 加入",
    "lost: ":
        "丢失：",
    "done more than once: ":
        "完成不止一次：",
    "never acknowledged: ":
        "从未确认：",
    "task {number}":
        "任务 {number}",
    "tasks {numbers}":
        "任务 {numbers}",
    " and {count} more":
        " 等另外 {count} 个",
    "Round-robin: five tasks, two workers":
        "循环调度：五个任务，两个 Worker",
    "auto-ack: worker1 killed during task 3":
        "auto-ack：worker1 在任务 3 中被杀死",
    "manual ack: tasks 3 and 5 redelivered to worker2":
        "手动确认：任务 3 和 5 重新投递给 worker2",
    "a worker that never acks":
        "一个从不确认的 Worker",
    "workers across a broker restart (prefetch_count=1)":
        "broker 重启前后的 Worker（prefetch_count=1）",
    "no prefetch limit":
        "不限 prefetch",
    "prefetch_count=1":
        "prefetch_count=1",
    "200 tasks, 5 workers killed, 1 broker restart":
        "200 个任务，杀死 5 个 Worker，重启 1 次 broker",
    "messages ready in the queue":
        "队列中就绪的消息",
    "200 tasks, the leader's node killed":
        "200 个任务，leader 所在节点被杀死",
    # the lessons' Check yourself (workqueue_helpers/claims/)
    "auto-ack: worker1 was killed during task 3, and tasks 3 and 5 were never done":
        "auto-ack：worker1 在处理任务 3 时被 kill，任务 3 和 5 始终没有完成",
    "manual ack: worker2 did tasks 3 and 5 after its own 2 and 4, both marked redelivered":
        "手动确认：worker2 做完自己的任务 2 和 4 之后，又做了任务 3 和 5，两者都带有 redelivered 标记",
    "manual ack: no task was lost, and task 3 was started twice (at least once)":
        "手动确认：没有任务丢失，任务 3 被开始处理了两次（至少一次）",
    "forgotten ack: the worker finished all six tasks and acknowledged none":
        "忘记确认：Worker 做完了全部六个任务，却一个也没有确认",
    "forgotten ack: RabbitMQ held all six unacknowledged, with none ready, until the worker stopped":
        "忘记确认：直到 Worker 停止，RabbitMQ 一直把六个任务全部留作未确认（unacked），没有一个处于就绪（ready）状态",
    "forgotten ack: once the worker stopped, all six were ready again":
        "忘记确认：Worker 一停止，六个任务又全部变为就绪（ready）",
    "with {home} down, new_task.py's task did not reach the queue and worker.py received nothing":
        "{home} 宕机期间，new_task.py 的任务没有到达队列，worker.py 也什么都没收到",
    "each got this RabbitMQ version's answer (404 NOT_FOUND at once before 4.3; no answer within the {limit:g} s from 4.3)":
        "两者都得到了这个 RabbitMQ 版本的应答（4.3 之前：立即返回 404 NOT_FOUND；从 4.3 起：在给定的 {limit:g} s 内没有任何应答）",
    "once {home} ran again, all {published} tasks were back in the queue":
        "{home} 重新运行后，全部 {published} 个任务都回到了队列中",
    "the cluster had three members, all running":
        "集群有三个成员，全部在运行",
    "the queue's leader was on rabbit1; after the kill, a follower led it":
        "队列的 leader 在 rabbit1 上；kill 之后，由一个 follower 接任 leader",
    "all {n} tasks were confirmed and completed, none lost":
        "全部 {n} 个任务都得到了确认（confirm）并已完成，没有丢失",
    "the workers had a backlog when the node died":
        "节点挂掉时，Worker 们还有积压的任务",
    "the queue confirmed and delivered tasks again within {seconds:g} s of the kill":
        "kill 之后 {seconds:g} s 内，队列又开始确认并投递任务",
    "the chart's red band is the outage, and its legend names it":
        "图中的红色色带就是这段不可用时间，图例中标出了它",
    "the producer, worker1 and worker4 (rabbit1 first in their lists) moved to another node":
        "生产者、worker1 和 worker4（它们的节点列表中 rabbit1 排在第一位）转移到了另一个节点",
    "worker2 and worker3 stayed on their nodes":
        "worker2 和 worker3 留在了各自的节点上",
    "worker1 and the producer each printed their '[!] Lost my node' line":
        "worker1 和生产者都打印了各自的 '[!] Lost my node' 行",
    "each task held on the dead node (cut short, or done with its ack lost) was delivered again and done":
        "挂掉的节点上持有的每个任务（被中途打断的，或已做完但 ack 丢失的）都被重新投递并完成",
    "they came back as this RabbitMQ version does it (at once before 4.3; after consumer_disconnected_timeout from 4.3)":
        "它们按这个 RabbitMQ 版本的方式重新投递（4.3 之前：立即；从 4.3 起：等过 consumer_disconnected_timeout 之后）",
    "at most one task per client on the dead node was done twice":
        "挂掉的节点上的每个客户端，至多有一个任务被处理了两次",
    "the killed node came back as a follower, and the three replicas caught up":
        "被 kill 的节点以 follower 身份回来了，三个副本都已追上进度",
    "RabbitMQ refused to declare an existing queue with other options, and closed the channel (a broker that denies non-durable queues refused the first declare)":
        "RabbitMQ 拒绝用不同的选项声明一个已存在的队列，并关闭了 channel（禁止非持久队列的 broker 在第一次声明时就拒绝了）",
    "After a restart the non-durable queue was gone, the durable classic queue kept only its persistent message, and the quorum queue kept both":
        "重启之后，非持久（non-durable）队列不见了，持久的 classic queue 只保留了它的持久化消息，quorum queue 则两条都保留了",
    "Each worker lost its connection and reconnected":
        "每个 Worker 都断开了连接，然后重新连上",
    "The restart caught at most one unacknowledged task per worker; each came back, flagged redelivered, and was done":
        "重启时，每个 Worker 至多有一个未确认的任务被打断；每个这样的任务都回来了，带有 redelivered 标记，并被完成",
    "The tasks not yet sent waited in the queue and went out after the restart":
        "尚未发出的任务在队列中等待，重启之后才被发出",
    "All {tasks} tasks were done and none was lost":
        "全部 {tasks} 个任务都已完成，没有丢失",
    "A crash kept what a clean restart keeps: the persistent message on the durable classic queue, both messages on the quorum queue":
        "崩溃保留下来的与正常重启一样：持久 classic queue 上的持久化消息，以及 quorum queue 上的两条消息",
    "Workers across a crash: all {tasks} tasks done, none lost":
        "Worker 经历崩溃：全部 {tasks} 个任务都已完成，没有丢失",
    "Confirms alone accepted the unroutable message; mandatory made pika raise UnroutableError":
        "只用 confirms 时，无法路由的消息也被接受了；加上 mandatory，pika 就抛出 UnroutableError",
    "A quorum queue refused to be exclusive or non-durable":
        "quorum queue 拒绝被声明为 exclusive 或非持久（non-durable）",
    "With x-delivery-limit 2, the message was dropped after 3 deliveries":
        "x-delivery-limit 为 2 时，消息在投递 3 次后被丢弃",
    "Without x-delivery-limit, the message came back as this version does it (every time before 4.0; from 4.0, 21 deliveries, then dropped)":
        "没有 x-delivery-limit 时，消息按这个版本的方式回来（4.0 之前：每次都回来；从 4.0 起：投递 21 次，然后被丢弃）",
    "With no prefetch limit, round-robin gave worker1 every long task (36 units of work) and worker2 the short ones (6 units)":
        "没有 prefetch 限制时，循环调度把所有长任务都给了 worker1（36 个单位的工作量），短任务给了 worker2（6 个单位）",
    "With prefetch_count=1, worker1 did tasks 1, 4, 6 and 7, worker2 tasks 2, 3, 5 and 8":
        "使用 prefetch_count=1 时，worker1 做了任务 1、4、6 和 7，worker2 做了任务 2、3、5 和 8",
    "The tasks still left the queue in order, 1 to 8":
        "任务仍按顺序离开队列，从 1 到 8",
    "With no limit the batch took 36 units, and worker2 sat idle for 30 of them":
        "没有限制时，这批任务用了 36 个单位，其中 worker2 空等了 30 个单位",
    "With prefetch_count=1 it took 21 units, and neither worker sat idle":
        "使用 prefetch_count=1 时只用了 21 个单位，两个 Worker 都没有空等",
    "On paper, 42 units of work on two workers take at least 21: round-robin takes 36, prefetch_count=1 the best possible, 21":
        "理论上，两个 Worker 做 42 个单位的工作至少需要 21 个单位：循环调度需要 36，prefetch_count=1 达到最优的 21",
    "all {n} tasks were published and confirmed by the broker":
        "全部 {n} 个任务都已发布，并得到了 broker 的确认（confirm）",
    "all {n} were completed, none lost":
        "{n} 个任务全部完成，没有丢失",
    "{kills} workers were killed and the broker restarted {restarts} time":
        "{kills} 个 Worker 被 kill，broker 重启了 {restarts} 次",
    "each kill has its red x on the timeline":
        "每次 kill 在时间线上都有对应的红色 x",
    "each kill cut a task short, and that task was delivered again and done":
        "每次 kill 都打断了一个任务，该任务被重新投递并完成",
    "at most one task per worker was completed twice, cut off by the restart":
        "每个 Worker 至多有一个任务被完成了两次，都是被重启切断的",
    "once the broker had cut the workers off, until it answered again, no task was received or finished":
        "从 broker 切断 Worker 的连接起，直到它重新应答为止，没有任何任务被接收或完成",
    "the workers were back at work a moment (under 5 s) after the band":
        "色带结束后片刻（不到 5 s），Worker 们就恢复了工作",
    "at most one held task per worker went back to the queue at the restart":
        "重启时，每个 Worker 至多有一个持有的任务回到了队列",
    "the tasks the restart cut short were delivered again and done":
        "被重启打断的任务都被重新投递并完成",
    "with auto-ack, the same trouble lost many tasks (more than a tenth)":
        "使用 auto-ack 时，同样的故障丢失了许多任务（超过十分之一）",
    "after the restart the auto-ack workers consumed again, and the queue had nothing left to send them":
        "重启后，auto-ack 的 Worker 重新开始消费，但队列已经没有任务可以发给它们了",
    "Longest task first is within 4/3 of the lower bound, and here meets it: 25.0 s":
        "最长任务优先不超过下界的 4/3，在这里正好达到下界：25.0 s",
    "prefetch_count=1 in queue order is within 5% of the bound; round-robin is far off":
        "按队列顺序的 prefetch_count=1 与下界相差不到 5%；循环调度则相差很远",
    "Queue order can miss the best: tasks of 1, 1 and 2 units take 3 units, not 2":
        "按队列顺序可能错过最优：长度为 1、1 和 2 个单位的任务需要 3 个单位，而不是 2 个",
    "A worker with no prefetch limit was handed 2,000 waiting tasks at once, no more":
        "没有 prefetch 限制的 Worker 一次拿到了 2,000 个等待中的任务，没有更多",
    "On the uneven batch, prefetch 1 beat no limit":
        "在长短不一的那批任务上，prefetch 1 胜过不设限制",
    "All {tasks} tasks were done, by {workers} workers, each doing some":
        "{workers} 个 Worker 完成了全部 {tasks} 个任务，每个 Worker 都分担了一部分",
    "Six workers did at least three times as many tasks per second as one":
        "六个 Worker 每秒完成的任务数至少是一个 Worker 的三倍",
    "with requeue, the poison task came back again and again (3 times or more in a second)":
        "使用 requeue 时，毒任务一次又一次地回来（一秒内 3 次或更多）",
    "with requeue, the good task was done once":
        "使用 requeue 时，正常的任务只做了一次",
    "with requeue, the poison task was still in the queue after the worker stopped":
        "使用 requeue 时，Worker 停止后毒任务仍在队列中",
    "without requeue, the poison task went to the dead-letter queue, and only it":
        "不使用 requeue 时，毒任务进入了死信队列（dead-letter queue），而且只有它",
    "its x-death header says it was rejected":
        "它的 x-death 头表明它是被拒绝（rejected）的",
    "worker1 took tasks 1, 3 and 5, worker2 took 2 and 4: round-robin, in the order the workers registered":
        "worker1 拿到任务 1、3 和 5，worker2 拿到 2 和 4：这就是循环调度，按 Worker 注册的顺序",
    "Every task was done once: none lost, none done twice, none redelivered":
        "每个任务都只做了一次：没有丢失，没有做两次，没有重新投递",
    "The workers acknowledged nothing: with auto_ack=True there is nothing to acknowledge":
        "Worker 们没有确认任何消息：使用 auto_ack=True 时，没有什么需要确认的",
    "worker1 worked about 9 s (1 + 3 + 5 dots), worker2 about 6 s (2 + 4)":
        "worker1 工作了约 9 s（1 + 3 + 5 个点），worker2 约 6 s（2 + 4）",
    "worker2 sat idle about 3 s at the end, while worker1 finished task 5":
        "最后 worker1 做任务 5 时，worker2 空等了约 3 s",
    "The deal went round the three workers in the order they registered, then began again at worker1":
        "任务按注册顺序在三个 Worker 之间轮流分发，然后又从 worker1 开始",
}

HINTS = {
    "not_written": "请先运行 %%writefile 单元格：文件 {file} 还不存在。",
    "program_error": "你的程序因错误而停止：{line}",
    "redeclare_406": (
        "RabbitMQ 拒绝了这次声明（406 PRECONDITION_FAILED）：{explain"
        "ed}。队列的选项在创建时就已确定：请在所有地方用相同的选项声明它，和本步骤的文件一样。"),
    "classic_declared": (
        "你的 {file} 把队列声明成了 classic queue（没有 "
        "x-queue-type），和原文一样；但本课的队列是 quorum queue，所以 "
        "RabbitMQ 拒绝了这次声明（406 "
        "PRECONDITION_FAILED）。请照本步骤的文件来声明：durable，并把参数 "
        "x-queue-type 设为 \"quorum\"。"),
    "quorum_not_durable": (
        "你的 {file} 声明队列时没有写 durable=True，但 quorum queue "
        "总是持久化的，所以 RabbitMQ 拒绝了这次声明（406）。请在 queue_declare "
        "中加上 durable=True。"),
    "non_durable_denied": (
        "这个 broker 拒绝非持久化的队列（从 RabbitMQ 4.3 "
        "起默认如此）：请把队列声明为持久化（durable）。"),
    "nothing_published": (
        "队列 '{queue}' 没有收到任何任务：你的 new_task.py "
        "什么也没有发布。请在声明队列之后调用 channel.basic_publish。"),
    "no_declare": (
        "你的 new_task.py 从未声明队列。这里能成功，只是因为队列已经存在；如果它在任何 "
        "Worker 之前启动，就会把消息发布到一个不存在的队列，RabbitMQ 会丢弃这条消息。请像 "
        "Worker 那样声明队列。"),
    "wrong_queue": (
        "你的 new_task.py 把消息发布到了 "
        "'{got}'，而不是给定的队列（'{queue}'），所以没有 Worker 收到任务。请把 "
        "QUEUE 用作 routing key{declare_too}。"),
    "via_exchange": (
        "你的 new_task.py 通过 exchange '{exchange}' "
        "发布消息。没有队列以这个 key 绑定到它，所以 RabbitMQ 悄无声息地丢弃了消息。请通过默认"
        " exchange 发布，它的名字是空字符串：它会把消息路由到与 routing key "
        "同名的队列。"),
    "published_twice": (
        "你的 new_task.py 每运行一次就发布了 {count} "
        "条消息，而不是一条：每个任务都会被执行 {count} 次。请只发布一次。"),
    "first_word_only": (
        "队列收到的是 {got}：每条消息只有第一个单词。请把程序名之后的所有单词（sys.argv[1:]"
        "）用空格连接起来。"),
    "program_name": (
        "队列收到的是 {got}：每条消息都以程序自己的文件名 sys.argv[0] "
        "开头。只连接它之后的单词，即 sys.argv[1:]。"),
    "wrong_body": "队列收到的是 {got}，而不是命令行上给出的单词。请发布由 sys.argv 构造的消息。",
    "no_close": (
        "你的 new_task.py 结束时没有关闭连接。任务虽然送到了，但 RabbitMQ "
        "看到每次运行都不告而别地断开连接，并为此记录一条警告（\"client unexpectedly "
        "closed TCP connection\"）。请像教程那样，在程序的最后一行关闭连接。"),
    "not_round_robin": "Worker 收到的任务是 {got}；循环调度应当是 {expected}。",
    "old_pika": (
        "basic_consume(callback, queue=..., no_ack=True) 是 "
        "pika 0.x 的写法。在 pika 1.x 中，queue 放在最前面，回调函数通过 "
        "on_message_callback 传入，no_ack 改成了 auto_ack。"),
    "not_consuming": (
        "你的 Worker 没有开始消费就结束了。在回调函数之后，用 basic_consume "
        "注册它（队列为 QUEUE，你的回调函数作为 "
        "on_message_callback），然后在通道上开始消费。"),
    "no_start_consuming": "你的 Worker 注册了消费者，然后就结束了：请在最后让通道开始消费，以等待消息。",
    "nothing_received": (
        "你的 Worker 在消费，但发往 '{queue}' 的 {count} "
        "个任务一个也没有收到{elsewhere}。请声明 QUEUE，并从它消费。"),
    "no_output": (
        "任务完成了，但终端没有为每个任务显示 \" [x] Received\" 和 \" [x] "
        "Done\"：请在回调函数中、工作之前和之后打印它们。"),
    "no_such_queue": (
        "RabbitMQ 中没有队列 '{name}'（404 NOT_FOUND）：请从 QUEUE "
        "消费，也就是你的 Worker 声明的、任务被发往的那个队列。"),
    "never_done": (
        "你的 Worker 完成了每个任务，但 RabbitMQ 仍把它们算作未确认：在 "
        "auto_ack=False（默认值）下，它会等待 ack。在第 1 课中，请用 "
        "auto_ack=True 消费，和教程的第一个 Worker 一样（原文中是 "
        "no_ack=True）；第 2 课才加上 ack。"),
    "no_work": (
        "你的 Worker 没有做任何工作：任务 {task} 有 {dots} 个点，在这里应工作 "
        "{expected:g} 秒，它却立刻就结束了。body 中每有一个点，就 sleep "
        "SECONDS_PER_DOT 秒。"),
    "too_little_work": (
        "你的 Worker 工作得太少：任务 {task} 有 {dots} 个点，用了 "
        "{took:.2f} 秒，而应当用 {expected:g} 秒。每个点 sleep "
        "SECONDS_PER_DOT 秒：用它乘以 body 中点的个数。"),
    "ignores_seconds_per_dot": (
        "你的 Worker 工作得太久：任务 {task} 有 {dots} 个点，用了 "
        "{took:.1f} 秒，而应当用 {expected:g} 秒。请用点的个数乘以 "
        "SECONDS_PER_DOT（检查时把它设为 {per_dot:g}）。"),
    "count_str": (
        "你的回调函数在 body 中统计 \".\"（一个 str），但 body 是 bytes，于是 "
        "Python 抛出了 TypeError。请统计与 body 同类型的点。"),
    "ack_wrong_channel": (
        "你的 Worker 在另一个通道上确认任务，而不是在收到该任务的通道上。RabbitMQ 对这样的 "
        "ack 回复 406 PRECONDITION_FAILED - unknown delivery "
        "tag，关闭那个通道，任务仍处于未确认状态。请在 ch（回调函数的第一个参数）上确认。"),
    "ack_with_auto_ack": (
        "你的 Worker 发送了确认，但仍在用 auto_ack=True 消费：RabbitMQ "
        "在发出每个任务时就已把它算作已确认，所以你的 ack 指向一个它已经不记得的投递（406 "
        "PRECONDITION_FAILED - unknown delivery "
        "tag），通道随之关闭。请从 basic_consume 中去掉 auto_ack=True。"),
    "fixed_tag": (
        "你的 Worker 每次确认的都是同一个 delivery tag，而不是它收到的那个：第二次 "
        "ack 指向一个已经确认过的投递（406 PRECONDITION_FAILED - unknown"
        " delivery tag），通道随之关闭。请确认回调函数收到的那条消息的 delivery "
        "tag。"),
    "auto_ack": (
        "你的 Worker 用 auto_ack=True 消费：RabbitMQ "
        "一发出任务就把它忘掉，所以 Worker "
        "若在任务中途被杀死，这个任务就丢了。请用手动确认来消费（去掉 auto_ack；默认就是 "
        "False），并在回调函数中确认。"),
    "no_ack": (
        "你的 Worker 从不确认：它做过的每个任务都处于未确认状态（这里是 {unacked} "
        "个），broker 把它们全部留着，并在这个 Worker "
        "离开时重新投递。请在回调函数末尾、在任务到来的那个通道上确认每个任务。"),
    "ack_before_work": (
        "你的 Worker 在做完任务之前就确认了它，于是 RabbitMQ "
        "在任务还在进行时就把它忘了：Worker 若在任务中途死掉，这个任务就丢了，而且 "
        "prefetch_count=1 也不再能扣住下一个任务。请把 ack 放在回调函数的最后一行。"),
    "lost": "worker1 被杀死时，任务 {lost} 丢失了；使用手动确认时，不应丢失任何任务。",
    "not_redelivered": (
        "杀死 worker1 之后，任务 3 应当回到 worker2；而 Worker 收到的任务是 "
        "{got}。"),
    "non_durable_queue": (
        "重启后，队列 '{queue}' 连同其中的消息都不见了：请用 durable=True "
        "声明它（Worker 中也要：两端必须以相同的方式声明）。"),
    "transient_messages": (
        "你的消息是非持久化的（{how}）。它们这次重启能保留下来，只是因为 quorum queue "
        "会把每条消息写入磁盘；在 classic queue "
        "上（原文用的就是它），重启会让它们丢失。请像教程那样，在每条消息的属性中把它标记为持久化。"),
    "restart_lost": "broker 重启后，'{queue}' 中只剩下 {sent} 个任务中的 {kept} 个。",
    "no_reconnect": (
        "worker1 的节点（{node}）被杀死时，worker1 停止了：pika 抛出了 pika."
        "exceptions.StreamLostError，而没有任何代码捕获它。能在节点挂掉后活下来的 "
        "Worker，会在 pika 抛出连接错误时回去重新连接。"),
    "same_node": (
        "它的节点（{node}）被杀死后，worker1 "
        "又去连接那个节点，而且只连那一个，所以再也没有恢复消费。请把由每个节点的参数组成的列表（URLS "
        "中每个 URL 一个）交给 "
        "pika.BlockingConnection：它会连接第一个应答的节点。"),
    "cluster_lost": (
        "worker1 的节点被杀死时，任务 {lost} 丢失了；使用手动确认和 quorum "
        "queue，本不该丢失任何任务。"),
    "no_qos": (
        "没有 basic_qos：RabbitMQ 按循环调度分配，worker1 拿到了两个长任务 1 和"
        " 3，而 worker2 闲着。请让 RabbitMQ 每次给每个 Worker "
        "只发一个未确认的任务（basic_qos）。"),
    "qos_after_consume": (
        "你的 Worker 设置了 prefetch 上限，但调度仍是循环调度（worker1 拿到了任务 "
        "1 和 3）：basic_qos 的上限只对在它之后注册的消费者生效。看看你的调用顺序。"),
    "prefetch_size": (
        "你的 basic_qos 设置了 prefetch_size={size}（basic_qos(1)"
        " 就是这样：prefetch_size 是它的第一个参数）。RabbitMQ 没有实现 "
        "prefetch_size：它回复 540 NOT_IMPLEMENTED "
        "并关闭了连接。请按参数名设置 prefetch_count。"),
    "prefetch_zero": (
        "prefetch_count=0 表示没有上限，和不调用 basic_qos 一样：worker1 "
        "拿到了任务 1 和 3。请限制每个 Worker 一次只处理一个任务。"),
    "prefetch_more": (
        "prefetch_count={count} 让一个忙碌的 Worker 可以同时持有 "
        "{count} 个任务，所以 worker1 还在做任务 1 时就被发了任务 3。请限制每个 "
        "Worker 一次只处理一个任务。"),
    "global_qos": (
        "你的 basic_qos 设置了 global_qos=True，即对整个通道的上限，quorum "
        "queue 不支持这一点，RabbitMQ 拒绝了它。去掉 global_qos：这样 "
        "prefetch_count 就会限制每个消费者。"),
    "qos_other_channel": (
        "你的 Worker 在 basic_consume 之前以 prefetch_count=1 调用了"
        " basic_qos，但 RabbitMQ 仍按循环调度分配（worker1 拿到了任务 1 和 "
        "3）：这个上限根本没有作用到你的消费者上。请在你用来消费的那个通道上调用 basic_qos。"),
    "qos_with_auto_ack": (
        "你的 Worker 用 auto_ack=True 消费。prefetch_count "
        "限制的是未确认的任务，而在 auto_ack=True "
        "下根本没有未确认的任务：这个上限不起任何作用。请用手动确认来消费，并在回调函数末尾确认。"),
    "unfair_auto_ack": (
        "你的 Worker 用 auto_ack=True 消费，且没有调用 "
        "basic_qos：RabbitMQ 按循环调度分配，worker1 拿到了两个长任务 1 和 "
        "3。均匀调度两者都需要：手动确认（在回调函数末尾 ack），以及每个 Worker "
        "最多一个未确认任务的上限（basic_qos）。"),
    "not_fair": "Worker 收到的任务是 {got}；均匀调度应当是 {expected}。",
    "producer_correct": (
        "你的 new_task.py 发送了五个任务，RabbitMQ 依次分配：任务 1、3、5 给 "
        "worker1，任务 2、4 给 worker2。"),
    "first_worker_correct": (
        "你的两个 Worker 轮流分担了四个任务：worker1 做了任务 1 和 3，worker2 "
        "做了任务 2 和 4。"),
    "persistent_producer_correct": (
        "broker 重启之后，两个任务仍在 '{queue}' 中。quorum queue "
        "会保留每一条消息；作为持久化消息发送，它们在原文所用的 classic queue 上也能保留下来。"),
}
